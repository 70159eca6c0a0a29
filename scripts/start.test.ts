import { describe, expect, it } from 'vitest';
import { startPlan } from './start';

describe('npm start', () => {
  it('starts the desktop app through Forge where the Electron binary is', () => {
    const plan = startPlan({ available: true, path: '/x/electron' });
    expect(plan.mode).toBe('desktop');
    expect(plan.command).toMatch(/electron-forge(\.cmd)?$/);
    expect(plan.args).toEqual(['start']);
  });

  it('else starts web mode in the browser and says why', () => {
    const plan = startPlan({ available: false, reason: 'no Electron binary here (x); the electron target runs where npm could download it' });
    expect(plan).toMatchObject({ mode: 'web', why: 'no Electron binary here (x)' });
    expect(plan.args.slice(1)).toEqual(['web', '--open']);
  });
});
