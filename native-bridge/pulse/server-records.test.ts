import { describe, expect, it } from 'vitest';
import { PA_INVALID_INDEX, flattenProps, toDevice, toServerInfo, toStream } from './server-records';

describe('server records', () => {
  it('flattens pulseaudio.js property trees back to PulseAudio keys, "@key" included', () => {
    const tree = { application: { name: 'Firefox', '@process': 'x', process: { id: '42', binary: 'firefox' } }, media: { name: 'Video' } };
    expect(flattenProps(tree)).toEqual({
      'application.name': 'Firefox',
      'application.process': 'x',
      'application.process.id': '42',
      'application.process.binary': 'firefox',
      'media.name': 'Video',
    });
    expect(flattenProps(undefined)).toEqual({});
  });

  it('reads a sink-input with its sink, volumes, corked state and properties', () => {
    const stream = toStream('sink-input', {
      index: 7,
      client: 3,
      module: 1,
      sink: 0,
      volume: [65536, 32768],
      muted: false,
      corked: true,
      hasVolume: true,
      writableVolume: true,
      properties: { application: { name: 'Alpha' } },
    });
    expect(stream).toEqual({
      kind: 'sink-input',
      index: 7,
      clientIndex: 3,
      moduleIndex: 1,
      deviceIndex: 0,
      channelVolumes: [65536, 32768],
      muted: false,
      corked: true,
      hasVolume: true,
      writableVolume: true,
      props: { 'application.name': 'Alpha' },
    });
  });

  it('reads a source-output from its source field', () => {
    const stream = toStream('source-output', { index: 2, client: PA_INVALID_INDEX, module: 9, source: 4, volume: [1], properties: {} });
    expect(stream.deviceIndex).toBe(4);
    expect(stream.clientIndex).toBe(PA_INVALID_INDEX);
  });

  it('rejects malformed records instead of guessing', () => {
    expect(() => toStream('sink-input', { index: -1 })).toThrow(TypeError);
    expect(() => toStream('sink-input', { index: 1, client: 1, module: 1, sink: 1, volume: ['x'] })).toThrow(/volume/);
    expect(() => toDevice('sink', null)).toThrow(TypeError);
  });

  it("tells a sink's monitor source from a source's monitored sink", () => {
    const sink = toDevice('sink', {
      index: 0,
      name: 'out',
      description: 'Speakers',
      volume: { current: [65536, 65536] },
      mute: false,
      monitor: { index: 5, name: 'out.monitor' },
      ports: [],
      activePort: null,
      properties: {},
    });
    expect(sink.monitorSource).toBe(5);
    expect(sink.monitorOfSink).toBeNull();
    const monitor = toDevice('source', { index: 5, name: 'out.monitor', volume: { current: [65536] }, monitor: { index: 0 } });
    expect(monitor.monitorOfSink).toBe(0);
    expect(monitor.description).toBe('out.monitor');
    const mic = toDevice('source', { index: 6, name: 'mic', volume: { current: [65536] }, monitor: { index: PA_INVALID_INDEX } });
    expect(mic.monitorOfSink).toBeNull();
  });

  it("reads the active port's availability (an unplugged jack)", () => {
    const device = toDevice('sink', {
      index: 1,
      name: 'analog',
      volume: { current: [1] },
      ports: [
        { name: 'speaker', available: 2 },
        { name: 'headphones', available: 1 },
      ],
      activePort: 'headphones',
    });
    expect(device.activePortAvailable).toBe('no');
  });

  it('reads the default sink and source names from the server info', () => {
    expect(toServerInfo({ name: 'pulseaudio', version: '16.1', defaultSink: 'out', defaultSource: '' })).toEqual({
      name: 'pulseaudio',
      version: '16.1',
      defaultSinkName: 'out',
      defaultSourceName: null,
    });
  });
});
