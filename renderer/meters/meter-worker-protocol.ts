// What the page tells the meter worker (meter-worker.ts), checked on arrival: the worker is
// told only by its page, but a message it cannot read is named in a console error and
// ignored, never half applied.
import type { MeterColours } from './meter-drawing';
import type { PeaksMessage } from './peak-levels';

export type ToMeterWorker =
  /** Web mode: open a socket of its own to this address, asking the server for peaks alone. */
  | { type: 'peaks-socket'; url: string }
  /** The desktop app: peaks arrive on this port (one end of the main process's channel for this window). */
  | { type: 'peaks-port'; port: MessagePort }
  /** A peaks message that reached the page after all (peaks arrive through the page's own connection). */
  | { type: 'peaks'; message: PeaksMessage }
  /** Meters shown or not (window hidden, turned off in the settings): the worker's socket asks the server. */
  | { type: 'meters'; enabled: boolean }
  /** A meter: its canvas, and the meter keys (sessions, or deviceMeterKey) whose loudest level it shows. */
  | { type: 'add'; id: number; canvas: OffscreenCanvas; keys: string[] }
  | { type: 'remove'; id: number }
  /** The meter's track came on screen or went off it (the page's IntersectionObserver). */
  | { type: 'visible'; id: number; visible: boolean }
  /** The theme's colours, sent at the first meter and again whenever they change. */
  | ({ type: 'colours' } & MeterColours);

type Check = (value: Record<string, unknown>) => boolean;

const isString = (value: unknown): value is string => typeof value === 'string';
const isId = (value: unknown): value is number => Number.isInteger(value);
const isRecordOf = (value: unknown, check: (entry: unknown) => boolean) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(check);
const isStep = (value: unknown) => Number.isFinite(value);

/** Each message's fields, by type: a record, so the compiler insists every type is checked. */
const CHECKS: Record<ToMeterWorker['type'], Check> = {
  'peaks-socket': (message) => isString(message.url),
  'peaks-port': (message) => typeof MessagePort === 'function' && message.port instanceof MessagePort,
  peaks: (message) => {
    const peaks = message.message as Record<string, unknown> | null;
    return (
      typeof peaks === 'object' && peaks !== null && peaks.type === 'peaks' && isRecordOf(peaks.peaks, isStep) &&
      (peaks.devicePeaks === undefined || isRecordOf(peaks.devicePeaks, isStep))
    );
  },
  meters: (message) => typeof message.enabled === 'boolean',
  add: (message) =>
    isId(message.id) &&
    typeof message.canvas === 'object' && message.canvas !== null && typeof (message.canvas as OffscreenCanvas).getContext === 'function' &&
    Array.isArray(message.keys) && message.keys.every(isString),
  remove: (message) => isId(message.id),
  visible: (message) => isId(message.id) && typeof message.visible === 'boolean',
  colours: (message) => isString(message.low) && isString(message.high) && isString(message.text),
};

/** The message, or why it is not one the worker takes. */
export function parseToMeterWorker(data: unknown): { ok: true; message: ToMeterWorker } | { ok: false; reason: string } {
  if (typeof data !== 'object' || data === null) return { ok: false, reason: 'not an object' };
  const message = data as Record<string, unknown>;
  const type = message.type;
  if (!isString(type) || !Object.hasOwn(CHECKS, type)) return { ok: false, reason: `unknown type ${JSON.stringify(type)}` };
  if (!CHECKS[type as ToMeterWorker['type']](message)) return { ok: false, reason: `a ${type} message with missing or malformed fields` };
  return { ok: true, message: message as unknown as ToMeterWorker };
}
