import { describe, expect, it } from 'vitest';
import { guidBytes, readGuid } from './guid';
import { E_NOINTERFACE, E_NOTIMPL, RPC_E_CHANGED_MODE, S_FALSE, S_OK } from './hresult';
import {
  defineInterface,
  float,
  guidRef,
  int,
  IUnknown,
  method,
  object,
  outCoTaskString,
  outFloat,
  outGuid,
  outInt,
  outObject,
  uint,
  wstr,
} from './interface';
import { ComRuntime } from './runtime';
import { FakeMachine, type FakeArg, type FakeMethod } from './testing/fake-machine';

const IChild = defineInterface({
  name: 'IChild',
  iid: '{00000000-0000-0000-0000-00000000C41D}',
  parent: IUnknown,
  methods: { Ping: method() },
});

const ITest = defineInterface({
  name: 'ITest',
  iid: '{00000000-0000-0000-0000-0000000000AB}',
  parent: IUnknown,
  methods: {
    Nothing: method(),
    Echo: method(
      int('int'),
      uint('DWORD'),
      float('float'),
      guidRef('LPCGUID'),
      wstr('LPCWSTR'),
      outInt('int*'),
      outFloat('float*'),
    ),
    Strings: method(outCoTaskString('LPWSTR*'), outGuid('GUID*')),
    Child: method(outObject('IChild**', IChild)),
    Fails: method(),
    Length: method(wstr('LPCWSTR'), outInt('int*')),
  },
});

const ISink = defineInterface({
  name: 'ISink',
  iid: '{00000000-0000-0000-0000-00000000517C}',
  parent: IUnknown,
  methods: {
    OnThing: method(wstr('LPCWSTR'), float('float'), guidRef('LPCGUID'), int('int')),
    OnObject: method(object('IChild*')),
  },
});

const GUID = '{87CE5498-68D6-44E5-9215-6DA47EF883D8}';

/** A counted fake COM object: slot 0..2 are IUnknown, then the given methods by slot. */
function counted(machine: FakeMachine, methods: Record<number, FakeMethod>, iid: string) {
  const state = { refs: 1, address: 0n };
  const table = new Map<number, FakeMethod>([
    [
      0,
      (riid, out) => {
        const wanted = readGuid(machine.view(BigInt(riid), 16));
        const answers = wanted === iid || wanted === IUnknown.iid;
        machine.view(BigInt(out), 8).writeBigUInt64LE(answers ? state.address : 0n);
        if (!answers) return E_NOINTERFACE | 0;
        state.refs++;
        return S_OK;
      },
    ],
    [1, () => ++state.refs],
    [2, () => --state.refs],
    ...Object.entries(methods).map(([slot, fn]) => [Number(slot), fn] as const),
  ]);
  state.address = machine.object(table);
  return state;
}

function setUp(initializeResult = 0) {
  const machine = new FakeMachine(initializeResult);
  const com = new ComRuntime(machine);
  const seen: FakeArg[][] = [];
  const child = counted(machine, { 3: () => S_OK }, IChild.iid);
  const test = counted(
    machine,
    {
      3: () => S_FALSE,
      4: (...args) => {
        seen.push(args);
        machine.view(BigInt(args[5] ?? 0n), 4).writeInt32LE(-7);
        machine.view(BigInt(args[6] ?? 0n), 4).writeFloatLE(0.5);
        return S_OK;
      },
      5: (text, guid) => {
        machine.view(BigInt(text), 8).writeBigUInt64LE(machine.coTaskString('from the callee'));
        guidBytes(GUID).copy(machine.view(BigInt(guid), 16));
        return S_OK;
      },
      6: (out) => {
        child.refs++;
        machine.view(BigInt(out), 8).writeBigUInt64LE(child.address);
        return S_OK;
      },
      7: () => E_NOTIMPL | 0,
      8: (text, out) => {
        machine.view(BigInt(out), 4).writeInt32LE(machine.wideStringLength(BigInt(text)));
        return S_OK;
      },
    },
    ITest.iid,
  );
  machine.registerClass('{00000000-0000-0000-0000-00000000C1A5}', test.address);
  const instance = com.createInstance('{00000000-0000-0000-0000-00000000C1A5}', ITest);
  return { machine, com, seen, child, test, instance };
}

describe('COM runtime: calls through DispCallFunc', () => {
  it('marshals ints, uints, floats, GUIDs and strings in, and ints and floats out, at the declared slot', () => {
    const { machine, com, seen, instance } = setUp();
    const { hr, out } = com.invoke(instance, 'Echo', -3, 0xfffffffe, 0.25, GUID, 'héllo');
    expect(hr).toBe(S_OK);
    expect(out).toEqual([-7, 0.5]);
    const [signed, unsigned, level, guid, text] = seen[0] ?? [];
    expect([signed, (unsigned as number) >>> 0, level]).toEqual([-3, 0xfffffffe, 0.25]);
    expect(readGuid(machine.view(BigInt(guid ?? 0n), 16))).toBe(GUID);
    expect(machine.view(BigInt(text ?? 0n), 12).toString('utf16le')).toBe('héllo\0');
  });

  it('reads and frees callee-allocated strings, and reads GUID out-parameters', () => {
    const { machine, com, instance } = setUp();
    const before = machine.freedAddresses.length;
    expect(com.invoke(instance, 'Strings').out).toEqual(['from the callee', GUID]);
    expect(machine.freedAddresses.length).toBe(before + 1);
  });

  it('keeps success codes (S_FALSE) and throws a named ComError for failures', () => {
    const { com, instance } = setUp();
    expect(com.invoke(instance, 'Nothing').hr).toBe(S_FALSE);
    expect(() => com.invoke(instance, 'Fails')).toThrow('ITest.Fails failed: E_NOTIMPL (0x80004001)');
  });

  it('moves a call that does not fit the frame into a larger one', async () => {
    const { com, instance } = setUp();
    expect(com.invoke(instance, 'Length', 'x'.repeat(20_000)).out).toEqual([20_000]);
    expect((await com.invokeOffThread(instance, 'Length', 'y'.repeat(30_000))).out).toEqual([30_000]);
    expect((await com.invokeOffThread(instance, 'Length', 'short')).out).toEqual([5]);
  });

  it('refuses calls with the wrong number of arguments', () => {
    const { com, instance } = setUp();
    expect(() => (com.invoke as (...args: unknown[]) => unknown)(instance, 'Length')).toThrow(/too few arguments/);
    expect(() => (com.invoke as (...args: unknown[]) => unknown)(instance, 'Nothing', 1)).toThrow(/too many arguments/);
  });
});

describe('COM runtime: reference accounting', () => {
  it('counts every reference obtained until it is released, once', () => {
    const { com, child, test, instance } = setUp();
    const [first] = com.invoke(instance, 'Child').out;
    const second = com.queryInterface(instance, ITest);
    expect(com.liveReferences()).toEqual({ ITest: 2, IChild: 1 });
    expect(child.refs).toBe(2);
    com.releaseAll([first, second]);
    expect(child.refs).toBe(1);
    expect(test.refs).toBe(2);
    expect(() => com.release(first)).toThrow(/released twice/);
    expect(() => com.invoke(second as never, 'Nothing' as never)).toThrow(/released/);
    com.release(instance);
    expect(com.liveReferenceCount()).toBe(0);
    expect(test.refs).toBe(1);
  });

  it('answers null for an interface the object does not implement', () => {
    const { com, instance } = setUp();
    expect(com.queryInterface(instance, IChild)).toBeNull();
    expect(com.liveReferenceCount()).toBe(1);
  });

  it('keeps an MTA alive for pool threads when the host made the main thread an STA (Electron)', () => {
    const changedMode = setUp(RPC_E_CHANGED_MODE | 0);
    expect(changedMode.com.apartment).toBe('sta');
    expect(changedMode.machine.mtaUsageIncrements).toBe(1);
    expect(setUp().com.apartment).toBe('mta');
  });
});

describe('COM runtime: sinks', () => {
  function sinkWorld() {
    const { machine, com, child } = setUp();
    const calls: unknown[][] = [];
    const errors: string[] = [];
    com.onSinkError((_error, where) => errors.push(where));
    const created = com.sinks.create(ISink, {
      OnThing: (...args) => {
        // The last argument is the copy of what the caller lent.
        calls.push(args.slice(0, -1));
        if (args[3] === 13) throw new Error('unlucky');
      },
      OnObject: (lent) => {
        const own = com.queryInterface(lent, IChild);
        calls.push([own?.iface.name]);
        com.release(own);
      },
    });
    return { machine, com, child, calls, errors, sink: created };
  }

  it('answers QueryInterface for IUnknown and its own IID only; AddRef/Release run no JS (a static object)', () => {
    const { com, sink } = sinkWorld();
    const asUnknown = com.invokeAt(sink.address, IUnknown, 'QueryInterface', IUnknown);
    expect(asUnknown.hr).toBe(S_OK);
    expect(asUnknown.out[0]?.address).toBe(sink.address);
    expect(com.invokeAt(sink.address, IUnknown, 'QueryInterface', ISink).hr).toBe(S_OK);
    const other = com.invokeAt(sink.address, IUnknown, 'QueryInterface', IChild);
    expect(other.hr >>> 0).toBe(E_NOINTERFACE);
    expect(other.out).toEqual([]);
    expect(com.invokeAt(sink.address, IUnknown, 'AddRef').hr).toBe(4242);
    expect(com.invokeAt(sink.address, IUnknown, 'Release').hr).toBe(4242);
    expect(sink.alive).toBe(true);
  });

  it('decodes arguments (a string, a float from its register, a GUID) and answers S_OK', () => {
    const { com, sink, calls } = sinkWorld();
    expect(com.invokeAt(sink.address, ISink, 'OnThing', 'name', 0.75, GUID, 2).hr).toBe(S_OK);
    expect(calls).toEqual([['name', 0.75, GUID, 2]]);
  });

  it('may QueryInterface an object it is lent', () => {
    const { com, sink, calls, child } = sinkWorld();
    com.invokeAt(sink.address, ISink, 'OnObject', { address: child.address });
    expect(calls).toEqual([['IChild']]);
    expect(child.refs).toBe(1);
  });

  it('answers S_OK before the handler runs (the sink thread), and reports a handler that throws', () => {
    const { com, sink, errors } = sinkWorld();
    expect(com.invokeAt(sink.address, ISink, 'OnThing', 'x', 0, null, 13).hr).toBe(S_OK);
    expect(errors).toEqual(['ISink.OnThing']);
  });

  it('frees a released sink after its grace period, silences it at once, and frees the vtable callbacks once no sink is left', async () => {
    const { machine, com, sink, calls } = sinkWorld();
    com.sinks.release(sink, 20);
    expect(sink.alive).toBe(true);
    expect(com.invokeAt(sink.address, ISink, 'OnThing', 'late', 0, null, 1).hr).toBe(S_OK);
    expect(calls).toEqual([]);
    expect(com.sinks.liveSinkCount()).toBe(0);
    await new Promise((done) => setTimeout(done, 40));
    expect(sink.alive).toBe(false);
    expect(machine.freedAddresses).toContain(sink.address);
    expect(() => com.sinks.release(sink)).toThrow(/released twice/);
    expect(machine.liveCallbacks()).toBe(3);
    com.sinks.disposeWhenIdle(0);
    await new Promise((done) => setTimeout(done, 10));
    expect(machine.liveCallbacks()).toBe(0);
  });

  it('never frees an abandoned sink (its Unregister failed: Core Audio may still call it), nor the callbacks', async () => {
    const { machine, com, sink } = sinkWorld();
    com.sinks.abandon(sink);
    com.sinks.disposeWhenIdle(0);
    await new Promise((done) => setTimeout(done, 10));
    expect(sink.alive).toBe(true);
    expect(com.sinks.abandonedSinkCount()).toBe(1);
    expect(machine.freedAddresses).not.toContain(sink.address);
    expect(machine.liveCallbacks()).toBe(3);
  });
});
