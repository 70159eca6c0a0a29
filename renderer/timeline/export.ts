// Saving the timeline from the UI: JSON as the LoggedEvents the server sent (what
// `sndmix watch --json` prints, in an array), CSV one row per changed field for people
// with a spreadsheet, and a scenario file as `sndmix record` writes it (the same
// serializer), for `sndmix check --rules`.
import { timedEvents } from '../../core/scenario/observation';
import { recordingToYaml } from '../../core/scenario/recording';
import type { BackendName, DeviceRecord, SessionRecord } from '../../native-bridge/types';
import { inEnglish } from '../i18n/i18n';
import type { TimelineEntry } from './describe-event';
import { detailText } from './describe-event';
import type { SessionHistory } from './session-history';

export function timelineToJson(entries: readonly TimelineEntry[]): string {
  return `${JSON.stringify(
    entries.map((entry) => entry.event),
    null,
    2,
  )}\n`;
}

export const CSV_COLUMNS = [
  'seq',
  'time',
  'source',
  'type',
  'sessionId',
  'deviceId',
  'displayName',
  'pid',
  'processName',
  'field',
  'old',
  'new',
  'detail',
] as const;

/**
 * RFC 4180 (CRLF, quotes doubled), with a byte order mark so spreadsheet programs read
 * it as UTF-8. An event that changes several fields gives one row per field; one that
 * changes none, a single row with those columns empty.
 */
export function timelineToCsv(entries: readonly TimelineEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) {
    const { event } = entry;
    const common = [
      String(event.seq),
      new Date(event.time).toISOString(),
      event.source,
      event.type,
      entry.sessionId ?? '',
      entry.deviceId ?? '',
      entry.subject,
      entry.pid === null ? '' : String(entry.pid),
      entry.processName ?? '',
    ];
    const changes = entry.changes.length > 0 ? entry.changes : [null];
    for (const change of changes) {
      const row = [...common, change?.field ?? '', change?.old ?? '', change?.new ?? '', detailText(entry.detail, inEnglish)];
      lines.push(row.map(csvField).join(','));
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function csvField(value: string): string {
  // Names come from applications: one starting like a formula must not run as one when
  // the file is opened in a spreadsheet (OWASP "CSV injection"); the JSON keeps it as is.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export interface ScenarioContext {
  backend: BackendName;
  devices: readonly DeviceRecord[];
  history(sessionId: string): SessionHistory | undefined;
}

/**
 * The entries as a recording: times from the first entry; the sessions its events concern
 * before any session-created of theirs were there at the start, in the state their history
 * gave them then.
 */
export function timelineToScenario(entries: readonly TimelineEntry[], context: ScenarioContext): string {
  const events = entries.map((entry) => entry.event);
  const startedAt = events[0]?.time ?? Date.now();
  const created = new Set<string>();
  const atStart = new Map<string, SessionRecord>();
  for (const entry of entries) {
    if (entry.event.type === 'session-created') created.add(entry.event.session.id);
    else if (entry.sessionId !== null && !created.has(entry.sessionId) && !atStart.has(entry.sessionId)) {
      const history = context.history(entry.sessionId);
      if (!history) continue;
      const before = history.entries.filter((item) => item.time <= startedAt).at(-1);
      atStart.set(entry.sessionId, { ...history.record, state: before?.state ?? history.record.state, disconnected: before?.disconnected ?? null });
    }
  }
  return recordingToYaml({
    name: `SndMix timeline on ${context.backend}`,
    backend: context.backend,
    startedAt,
    durationMs: (events.at(-1)?.time ?? startedAt) - startedAt,
    devices: context.devices,
    sessions: [...atStart.values()],
    events: timedEvents(events, startedAt),
  });
}

/** A file name with the local time, e.g. sndmix-events-20250131-142501.csv. */
export function exportFileName(extension: 'json' | 'csv' | 'yaml', now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `sndmix-events-${date}-${time}.${extension}`;
}

/** Hands the text to the browser (or Electron) as a download. */
export function downloadText(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns: let it go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
