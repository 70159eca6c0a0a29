// Generators (fast-check) of input the engine host must refuse without changing anything:
// commands of the wrong shape, values out of range, ids of nothing. Shared by the fuzz
// suites of each transport (web/fuzz.test.ts, electron/ipc-transport.fuzz.test.ts).
import fc from 'fast-check';
import { CommandSchema } from '../contract';

export interface KnownIds {
  sessionIds: readonly string[];
  deviceIds: readonly string[];
}

const outOfUnitRange = fc.oneof(
  fc.double({ noNaN: true }).filter((value) => value < 0 || value > 1),
  fc.constantFrom(1.0000001, -0, -1e-9, 2, Number.MAX_VALUE, -Number.MAX_VALUE),
);
const notANumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
const badVolume = fc.oneof(outOfUnitRange.filter((value) => value !== 0), notANumber);
const notABoolean = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constantFrom('true', 'on', 1, 0));

function unknownId(known: readonly string[]) {
  return fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', 'nope', '../../etc/passwd', '\u001b[2J', 'x'.repeat(513))).filter(
    (id) => !known.includes(id),
  );
}

/** One command-shaped value that must be refused (bad-request, unknown-session, unknown-device, ...). */
export function invalidCommand(known: KnownIds): fc.Arbitrary<unknown> {
  const knownSession = known.sessionIds.length > 0 ? fc.constantFrom(...known.sessionIds) : unknownId([]);
  const knownDevice = known.deviceIds.length > 0 ? fc.constantFrom(...known.deviceIds) : unknownId([]);
  const badSessionIds = fc.oneof(
    fc.constant([]),
    fc.array(unknownId(known.sessionIds), { minLength: 1, maxLength: 3 }),
    fc.tuple(knownSession, unknownId(known.sessionIds)).map((ids) => [...ids]),
    fc.array(knownSession, { minLength: 257, maxLength: 260 }),
    fc.array(fc.oneof(fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 3 }),
    fc.string(),
  );
  const mutated = fc.oneof(
    fc.record({ type: fc.constant('set-volume'), sessionIds: badSessionIds, volume: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ type: fc.constant('set-volume'), sessionIds: fc.array(knownSession, { minLength: 1, maxLength: 2 }), volume: badVolume }),
    fc.record({ type: fc.constant('set-mute'), sessionIds: badSessionIds, muted: fc.boolean() }),
    fc.record({ type: fc.constant('set-mute'), sessionIds: fc.array(knownSession, { minLength: 1, maxLength: 2 }), muted: notABoolean }),
    fc.record({
      type: fc.constant('set-channel-volume'),
      sessionId: fc.oneof(knownSession, unknownId(known.sessionIds)),
      channel: fc.oneof(fc.integer({ min: -5, max: -1 }), fc.integer({ min: 64, max: 1000 }), fc.double({ min: 0.1, max: 0.9, noNaN: true }), notANumber),
      volume: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({ type: fc.constant('set-device-volume'), deviceId: unknownId(known.deviceIds), volume: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ type: fc.constant('set-device-volume'), deviceId: knownDevice, volume: badVolume }),
    fc.record({ type: fc.constant('set-device-mute'), deviceId: fc.oneof(unknownId(known.deviceIds), knownDevice), muted: notABoolean }),
    fc.record({ type: fc.constant('set-meters'), enabled: notABoolean }),
    // A valid command plus one key too many (schemas are strict).
    fc.record({ type: fc.constant('set-mute'), sessionIds: fc.constant([...known.sessionIds.slice(0, 1)]), muted: fc.boolean(), extra: fc.jsonValue() }),
    fc.record({ type: fc.string().filter((type) => !CommandSchema.options.some((option) => option.shape.type.value === type)) }),
  );
  const anything = fc.oneof(fc.jsonValue(), fc.constantFrom(null, [], {}, '', 0, 'subscribe', { type: null }, { type: ['subscribe'] }));
  return fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: anything, weight: 1 }).filter((value) => !wouldChangeState(value, known));
}

/** A command the host would accept and carry out on known ids (the generators must not produce those). */
function wouldChangeState(value: unknown, known: KnownIds): boolean {
  const parsed = CommandSchema.safeParse(value);
  if (!parsed.success) return false;
  const command = parsed.data;
  switch (command.type) {
    case 'subscribe':
    case 'set-meters':
      return false; // accepted, but the mixer's state stays what it was
    case 'set-volume':
    case 'set-mute':
      return command.sessionIds.every((id) => known.sessionIds.includes(id));
    case 'set-channel-volume':
      return known.sessionIds.includes(command.sessionId);
    case 'set-device-volume':
    case 'set-device-mute':
      return known.deviceIds.includes(command.deviceId);
    case 'set-output-device':
    case 'set-balance':
      return command.sessionIds.every((id) => known.sessionIds.includes(id));
    case 'undo-outside-change':
      return known.sessionIds.includes(command.sessionId);
    // These change SndMix's own state (preferences, profiles), whatever ids they name.
    case 'set-app-preference':
    case 'set-device-preference':
    case 'save-profile':
    case 'apply-profile':
    case 'delete-profile':
      return true;
  }
}

/** One WebSocket text frame's content: a well-framed invalid command, or framing that is itself wrong. */
export function invalidWsText(known: KnownIds): fc.Arbitrary<string> {
  const framed = fc.record({ requestId: fc.nat(), command: invalidCommand(known) }).map((frame) => JSON.stringify(frame));
  const badFraming = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
    fc.record({ requestId: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9, noNaN: true }), fc.string()), command: fc.constant({ type: 'subscribe' }) }).map((frame) =>
      JSON.stringify(frame),
    ),
    fc.constantFrom('{', '[]', '"', '{"requestId":1}', '{"requestId":1,"command":{"type":"subscribe"},"x":1}', '\u0000', '\ud800'),
  );
  return fc.oneof({ arbitrary: framed, weight: 3 }, { arbitrary: badFraming, weight: 1 });
}
