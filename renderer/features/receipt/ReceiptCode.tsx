// A receipt's QR or Code 128 drawn on screen by the same barcode library the printers use, loaded on first need.
import { useEffect, useState } from 'react';

interface Props {
  symbology: 'qr' | 'code128';
  data: string;
}

export function ReceiptCode({ symbology, data }: Props) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // bwip-js is large: split out so the till starts without it.
    import('bwip-js/browser')
      .then(({ toSVG }) => {
        const bcid = symbology === 'qr' ? 'qrcode' : 'code128';
        if (live)
          setSvg(
            toSVG({
              bcid,
              text: data,
              scale: 2,
              ...(symbology === 'code128' ? { height: 10 } : {}),
            }),
          );
      })
      .catch((e: unknown) => console.error('Receipt code could not be drawn', e));
    return () => {
      live = false;
    };
  }, [symbology, data]);
  const label = `${symbology === 'qr' ? 'QR code' : 'Barcode'} of ${data}`;
  return (
    <div className={`receipt-code receipt-code-${symbology}`}>
      {svg && (
        <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={label} />
      )}
    </div>
  );
}
