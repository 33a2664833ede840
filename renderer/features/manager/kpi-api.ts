// The ledger's drop KPI endpoints as the till calls them (a drop or a drop family, optionally one SKU).
import type { z } from 'zod';
import {
  type Aftercare,
  aftercareSchema,
  type Channels,
  channelsSchema,
  type DropList,
  dropListSchema,
  type Promoters,
  promotersSchema,
  type Repeat,
  repeatSchema,
  type SellThrough,
  sellThroughSchema,
} from '../../../shared/kpis';
import type { PosDb } from '../../db/db';
import { ledgerStoreId, managerCall } from '../../sync/manager-session';

export type KpiResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** A drop (by id) or a family of micro-drops (by name), optionally narrowed to one SKU. */
export type KpiScopeChoice = { dropId: string } | { family: string };

async function get<T>(
  db: PosDb,
  path: string,
  query: Record<string, string>,
  schema: z.ZodType<T>,
): Promise<KpiResult<T>> {
  const storeId = await ledgerStoreId(db);
  if (!storeId) return { ok: false, message: 'This till is not connected to a ledger.' };
  const q = new URLSearchParams(query);
  const res = await managerCall(
    db,
    `/api/v1/stores/${encodeURIComponent(storeId)}/reports/${path}${q.size ? `?${q}` : ''}`,
    { schema },
  );
  return res.ok ? res : { ok: false, message: res.message };
}

export function dropList(db: PosDb): Promise<KpiResult<DropList>> {
  return get(db, 'drops', {}, dropListSchema);
}

export interface DropKpis {
  sellThrough: SellThrough;
  channels: Channels;
  repeat: Repeat;
  aftercare: Aftercare;
  promoters: Promoters;
}

/** Every KPI of one scope, fetched together; the first failure is reported. */
export async function dropKpis(
  db: PosDb,
  scope: KpiScopeChoice,
  sku: string | null,
  repeatDays: number,
): Promise<KpiResult<DropKpis>> {
  const q: Record<string, string> = { ...scope, ...(sku ? { sku } : {}) };
  const [sellThrough, channels, repeat, aftercare, promoters] = await Promise.all([
    get(db, 'kpis/sell-through', q, sellThroughSchema),
    get(db, 'kpis/channels', q, channelsSchema),
    get(db, 'kpis/repeat', { ...q, days: String(repeatDays) }, repeatSchema),
    get(db, 'kpis/aftercare', q, aftercareSchema),
    get(db, 'kpis/promoters', {}, promotersSchema),
  ]);
  for (const r of [sellThrough, channels, repeat, aftercare, promoters]) if (!r.ok) return r;
  if (!sellThrough.ok || !channels.ok || !repeat.ok || !aftercare.ok || !promoters.ok)
    return { ok: false, message: 'A KPI could not be loaded.' };
  return {
    ok: true,
    value: {
      sellThrough: sellThrough.value,
      channels: channels.value,
      repeat: repeat.value,
      aftercare: aftercare.value,
      promoters: promoters.value,
    },
  };
}
