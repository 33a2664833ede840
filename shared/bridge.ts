// The one typed contract between the POS renderer and its host (Electron main, or the browser fallback).
import { z } from 'zod';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'browser']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Renderer → host calls, named `area-verb`. Every call returns a promise. */
export type PosBridge = {
  'app-info': () => Promise<AppInfo>;
  'window-set-fullscreen': (on: boolean) => Promise<boolean>;
  /** Secrets (the device token) kept encrypted by the OS keychain; null when none is stored. */
  'secret-get': (name: SecretName) => Promise<string | null>;
  'secret-set': (name: SecretName, value: string | null) => Promise<void>;
};

export const secretNameSchema = z.enum(['device-token']);
export type SecretName = z.infer<typeof secretNameSchema>;

/** Host → renderer events and their payloads. */
export type PosEvents = {
  'window-fullscreen-changed': boolean;
};

/** Argument schemas for every bridge call: the host validates each call against these. */
export const bridgeArgs = {
  'app-info': z.tuple([]),
  'window-set-fullscreen': z.tuple([z.boolean()]),
  'secret-get': z.tuple([secretNameSchema]),
  'secret-set': z.tuple([secretNameSchema, z.string().min(1).max(4096).nullable()]),
} satisfies { [K in keyof PosBridge]: z.ZodType<Parameters<PosBridge[K]>> };

export type BridgeChannel = keyof PosBridge;

/** What the preload exposes as `window.pos`. */
export type PosApi = PosBridge & {
  on<E extends keyof PosEvents>(event: E, listener: (payload: PosEvents[E]) => void): () => void;
};
