// uPlot charts for the KPI cards: a line chart over minutes and a bar chart over named categories, sized to their box.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Colours that stay apart for the colour-blind (Okabe–Ito). */
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#000000',
];

const HEIGHT = 260;
/** Whole-number tick steps: counts never show "0.5 units", money never a fraction of a cent. */
const WHOLE_STEPS = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000].map((p) => m * p))
  .sort((a, b) => a - b);
const AXIS = {
  stroke: '#1d1b19',
  grid: { stroke: '#ddd6cc', width: 1 },
  ticks: { stroke: '#ddd6cc' },
};

function useUplot(make: (width: number) => uPlot.Options, data: uPlot.AlignedData, key: string) {
  const box = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the options and data
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(320, el.clientWidth);
    const plot = new uPlot(make(width), data, el);
    const resize = new ResizeObserver(() => {
      const w = Math.max(320, el.clientWidth);
      if (w !== plot.width) plot.setSize({ width: w, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [key]);
  return box;
}

export interface LineSeries {
  label: string;
  values: (number | null)[];
  /** Drawn dashed: a total over the other lines. */
  dashed?: boolean;
}

/** Lines over a numeric x axis (e.g. minutes since a drop opened). */
export function LineChart(props: {
  title: string;
  x: number[];
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
}) {
  const key = JSON.stringify(props);
  const box = useUplot(
    (width) => ({
      title: props.title,
      width,
      height: HEIGHT,
      scales: { x: { time: false } },
      axes: [
        { ...AXIS, label: props.xLabel, incrs: WHOLE_STEPS },
        { ...AXIS, label: props.yLabel, size: 60, incrs: WHOLE_STEPS },
      ],
      series: [
        { label: props.xLabel },
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 2,
          ...(s.dashed ? { dash: [8, 5] } : {}),
          points: { show: false },
        })),
      ],
    }),
    [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
    key,
  );
  return <div className="chart" ref={box} role="img" aria-label={props.title} />;
}

/** Bars, one per named category, for one measure. */
export function BarChart(props: {
  title: string;
  labels: string[];
  values: number[];
  xLabel: string;
  yLabel: string;
  /** How a value reads on the axis and in the legend. */
  format?: (v: number) => string;
  /** The least top of the y axis (e.g. 100 minor units for money), so small values do not fill it. */
  minTop?: number;
}) {
  const key = JSON.stringify({ ...props, format: undefined });
  const fmt = props.format ?? ((v: number) => String(v));
  const box = useUplot(
    (width) => ({
      title: props.title,
      width,
      height: HEIGHT,
      scales: {
        x: { time: false, range: [-0.5, props.labels.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(props.minTop ?? 1, max * 1.1)] },
      },
      axes: [
        {
          ...AXIS,
          label: props.xLabel,
          splits: () => props.labels.map((_, i) => i),
          values: (_u, splits) => splits.map((i) => props.labels[i] ?? ''),
          grid: { show: false },
        },
        {
          ...AXIS,
          label: props.yLabel,
          size: 70,
          incrs: WHOLE_STEPS,
          values: (_u, splits) => splits.map((v) => fmt(v)),
        },
      ],
      series: [
        { label: props.xLabel, value: (_u, v) => (v === null ? '—' : (props.labels[v] ?? '')) },
        {
          label: props.yLabel,
          fill: `${PALETTE[0]}cc`,
          stroke: PALETTE[0],
          paths: uPlot.paths.bars?.({ size: [0.6, 80] }),
          points: { show: false },
          value: (_u, v) => (v === null ? '—' : fmt(v)),
        },
      ],
    }),
    [props.labels.map((_, i) => i), props.values],
    key,
  );
  return <div className="chart" ref={box} role="img" aria-label={props.title} />;
}
