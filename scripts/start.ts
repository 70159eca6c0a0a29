// `npm start`: the desktop app where Electron's binary is here (through Forge, which builds
// and watches), else web mode in the default browser, saying why and printing the address.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findElectronBinary } from './electron-binary';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

export type StartPlan = { mode: 'desktop'; command: string; args: string[] } | { mode: 'web'; why: string; command: string; args: string[] };

export function startPlan(electron = findElectronBinary(), extraArgs: readonly string[] = []): StartPlan {
  if (electron.available) return { mode: 'desktop', command: bin('electron-forge'), args: ['start', ...(extraArgs.length > 0 ? ['--', ...extraArgs] : [])] };
  return {
    mode: 'web',
    why: electron.reason.replace(/; the electron target runs where npm could download it$/, ''),
    command: process.execPath,
    args: [path.join(root, 'bin', 'sndmix.js'), 'web', '--open', ...extraArgs],
  };
}

function run(plan: StartPlan): void {
  if (plan.mode === 'web') {
    console.log(`sndmix: the desktop app cannot start: ${plan.why}.`);
    console.log('sndmix: starting web mode instead: the mixer opens in your browser (Ctrl-C stops it).');
  }
  const child = spawn(plan.command, plan.args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  child.on('error', (error) => {
    console.error(`sndmix: could not run ${plan.command}: ${error.message}`);
    process.exitCode = 1;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) run(startPlan(findElectronBinary(), process.argv.slice(2)));
