// Defect 9's checks on the Core Audio double (part of double-scenario.ts, under Windows Node):
// a packaged app named from its package, and a process that cannot be opened named from its
// image. What is real and what is the test's:
//  - packaged: the double's session identifier carries the image path under
//    "\Program Files\WindowsApps\<package full name>\" (as Windows' identifiers carry native
//    paths), in Wine's own native spelling of drive C: (QueryDosDeviceW); the package is laid out
//    on drive C as Windows installs one (AppxManifest.xml, qualified logo files). The product
//    reads it unchanged. Wine cannot run a packaged process (GetPackageFullName answers
//    APPMODEL_ERROR_NO_PACKAGE, GetPackagePathByFullName and GetApplicationUserModelId are
//    missing), nor resolve "@{package?ms-resource:...}" (no resources.pri support).
//  - denied: the seam's Win32 shell refuses OpenProcess for one real Wine process (the test's
//    part); the image lookup without opening it, NtQuerySystemInformation, is the real one.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { DataType, load } from '../../com/ffi';
import { comRuntime } from '../../com/runtime';
import type { BackendEvent, SessionRecord } from '../../types';
import { fileNameOf } from '../../windows-rules/display-names';
import { createCoreAudioBackend } from '../backend';
import { ComAudioSystem } from '../com-system';
import type { CoreAudioDouble } from '../double/script';
import { encodePng, pngDataUrl } from '../png';
import { createWin32Shell } from '../win32-shell';
import { assert, assertEqual, type Check } from './checks';

const PACKAGE_FULL_NAME = 'SndMix.TestPlayer_1.2.3.0_x64__8wekyb3d8bbwe';
const PACKAGE_FOLDER = `C:\\Program Files\\WindowsApps\\${PACKAGE_FULL_NAME}`;
const PACKAGED_EXE = 'TestPlayer.exe';
export const PACKAGED_APP_NAME = 'Test Player';

const MANIFEST = `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10" xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10">
  <Identity Name="SndMix.TestPlayer" Publisher="CN=SndMix" Version="1.2.3.0" ProcessorArchitecture="x64" />
  <Properties><DisplayName>${PACKAGED_APP_NAME}</DisplayName><Logo>Assets\\StoreLogo.png</Logo></Properties>
  <Applications>
    <Application Id="App" Executable="${PACKAGED_EXE}">
      <uap:VisualElements DisplayName="ms-resource:AppName" Square44x44Logo="Assets\\Square44x44Logo.png" Square150x150Logo="Assets\\Square150x150Logo.png" />
    </Application>
  </Applications>
</Package>`;

/** A 2x2 opaque logo, told apart from its variants by its red channel. */
const square = (red: number) => encodePng(2, 2, Uint8Array.from({ length: 16 }, (_, index) => [red, 110, 200, 255][index % 4] ?? 0));
/** The logo the mixer should show: the 32 px target size, unplated. */
const EXPECTED_LOGO = square(32);

/**
 * Lays the package out on drive C as Windows installs one; returns its executable's native
 * image path, as the session identifier gives it.
 */
export function installTestPackage(): string {
  mkdirSync(`${PACKAGE_FOLDER}\\Assets`, { recursive: true });
  writeFileSync(`${PACKAGE_FOLDER}\\AppxManifest.xml`, MANIFEST);
  const logos: [string, Buffer][] = [
    ['Square44x44Logo.scale-100.png', square(44)],
    ['Square44x44Logo.scale-200.png', square(88)],
    ['Square44x44Logo.targetsize-16.png', square(16)],
    ['Square44x44Logo.targetsize-32.png', square(31)],
    ['Square44x44Logo.targetsize-32_altform-unplated.png', EXPECTED_LOGO],
    ['Square44x44Logo.scale-100_contrast-black.png', square(1)],
    ['StoreLogo.scale-100.png', square(50)],
  ];
  for (const [name, png] of logos) writeFileSync(`${PACKAGE_FOLDER}\\Assets\\${name}`, png);
  writeFileSync(`${PACKAGE_FOLDER}\\${PACKAGED_EXE}`, '');
  createWin32Shell(); // opens kernel32 for ffi-rs
  const device = Buffer.alloc(2 * 512);
  const length = load({
    library: 'kernel32',
    funcName: 'QueryDosDeviceW',
    retType: DataType.I32,
    paramsType: [DataType.U8Array, DataType.U8Array, DataType.I32],
    paramsValue: [Buffer.from('C:\0', 'utf16le'), device, 512],
  }) as number;
  assert(length > 0, 'QueryDosDeviceW(C:) failed');
  const native = device.toString('utf16le').split('\0')[0] ?? '';
  return `${native}${PACKAGE_FOLDER.slice(2)}\\${PACKAGED_EXE}`;
}

export interface NamesCheckContext {
  double: CoreAudioDouble;
  /** A render endpoint for sessions of these checks only. */
  endpointId: string;
  packagedPid: number;
  byPid(pid: number): SessionRecord;
  settle(): Promise<void>;
  take(): Promise<BackendEvent[]>;
  figures: Record<string, number | string>;
  warnings: string[];
}

export function namesChecks(context: NamesCheckContext): Check[] {
  const { double, figures } = context;
  return [
    [
      "defect 9 (names): a packaged app is named from its package manifest and shows its logo at the size the mixer draws",
      () => {
        const record = context.byPid(context.packagedPid);
        assertEqual([record.displayName, record.displayNameSource], [PACKAGED_APP_NAME, 'package'], 'name');
        assertEqual(record.icon, pngDataUrl(EXPECTED_LOGO), 'logo (Square44x44Logo.targetsize-32_altform-unplated.png)');
        const reference = `@{${PACKAGE_FULL_NAME}?ms-resource://SndMix.TestPlayer/Resources/AppName}`;
        figures.packageResourceString = String(createWin32Shell().resolveIndirectString(reference));
        return `"${record.displayName}"; SHLoadIndirectString of the ms-resource name: ${figures.packageResourceString}`;
      },
    ],
    [
      'defect 9 (names): a process whose OpenProcess is denied is named from its image path, read without opening it (NtQuerySystemInformation)',
      async () => {
        const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
        const shell = createWin32Shell();
        const pid = child.pid ?? 0;
        assert(pid > 0, 'the child process did not start');
        const backend = await createCoreAudioBackend({
          system: new ComAudioSystem(comRuntime(), { ...shell, openProcess: (target) => (target === pid ? null : shell.openProcess(target)) }),
          onWarning: (message) => context.warnings.push(message),
        });
        const stream = double.openStream(context.endpointId, { pid });
        try {
          await context.settle();
          const image = shell.systemImagePath(pid);
          figures.imageOfUnopenedProcess = String(image);
          assert(image && fileNameOf(image).toLowerCase() === 'node.exe', `the image of pid ${pid}: ${image}`);
          const record = (await backend.listSessions(context.endpointId)).find((candidate) => candidate.pid === pid);
          assert(record, `no session of pid ${pid}`);
          // With the full path (SystemProcessIdInformation) the version resource names it; with
          // the file name alone (Wine 8 lacks that class: the process list) the file name does.
          const expected = /[\\/]/.test(image) ? ['Node.js JavaScript Runtime', 'file-description'] : [fileNameOf(image), 'executable'];
          assertEqual([record.displayName, record.displayNameSource], expected, 'name');
          assertEqual(record.processName, fileNameOf(image), 'process name');
          return `${record.displayName} (${record.displayNameSource}) from ${image}`;
        } finally {
          double.releaseStream(stream);
          await context.settle();
          await backend.close();
          child.kill();
          await context.take();
        }
      },
    ],
  ];
}
