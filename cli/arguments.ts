// What the CLI accepts on its command line, checked before anything runs: plain decimal
// numbers only (no 0x1, 0b1, 0o1, 1e0 or " 1"), numbers within their range (a pid too large
// for any OS is an error, not a rounded echo), an address that can exist, and each option
// at most once (a repeated --volume is a mistake, not "the last one wins").
import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';
import { ProfileNameSchema } from '../core/contract';

/** Largest process id any supported OS hands out (a DWORD on Windows, pid_t on Linux). */
export const MAX_PID = 2 ** 32 - 1;
const MAX_PORT = 65535;

export type ArgumentParser<T> = (value: string) => T;

/** Wraps a parser for commander so a second occurrence of the option is refused. */
export function once<T>(parse: ArgumentParser<T>): (value: string, previous: T | undefined) => T {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError('given more than once');
    return parse(value);
  };
}

export const parseText: ArgumentParser<string> = (value) => value;

export const parseUnitScalar: ArgumentParser<number> = (value) => {
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) throw new InvalidArgumentError('expected a decimal number from 0 to 1, e.g. 0.3');
  const number = Number(value);
  if (number > 1) throw new InvalidArgumentError('expected a decimal number from 0 to 1, e.g. 0.3');
  return number;
};

/** A stereo balance: -1 (left) .. 0 (centre) .. 1 (right). */
export const parseBalance: ArgumentParser<number> = (value) => {
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(value)) throw new InvalidArgumentError('expected a decimal number from -1 (left) to 1 (right), e.g. -0.5');
  const number = Number(value);
  if (number < -1 || number > 1) throw new InvalidArgumentError('expected a decimal number from -1 (left) to 1 (right), e.g. -0.5');
  return Object.is(number, -0) ? 0 : number;
};

/** A name the user gives (profile, rename): one line, 1..100 characters, as the contract accepts. */
export const parseUserName: ArgumentParser<string> = (value) => {
  const parsed = ProfileNameSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`expected a name of 1 to 100 characters on one line`);
  return parsed.data;
};

function wholeNumber(value: string, max: number, what: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected ${what}: a whole number from 0 to ${max}`);
  // Compared as digits, not as a float: 99999999999999999999 must not round to something else first.
  const digits = value.replace(/^0+(?=\d)/, '');
  if (digits.length > String(max).length || Number(digits) > max) {
    throw new InvalidArgumentError(`out of range: expected ${what} from 0 to ${max}`);
  }
  return Number(digits);
}

export const parsePid: ArgumentParser<number> = (value) => wholeNumber(value, MAX_PID, 'a process id');
export const parsePort: ArgumentParser<number> = (value) => wholeNumber(value, MAX_PORT, 'a port');

/** An IP address, or a host name that DNS could resolve; "256.1.1.1" is neither. */
export const parseHost: ArgumentParser<string> = (value) => {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIP(bare) !== 0) return bare;
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
  const labels = bare.split('.');
  // All-numeric names are mistyped addresses (resolvers treat them as IPv4).
  if (bare.length > 253 || !labels.every((part) => label.test(part)) || labels.every((part) => /^\d+$/.test(part))) {
    throw new InvalidArgumentError('expected an IP address (e.g. 127.0.0.1, ::1) or a host name');
  }
  return bare;
};

export function parseChoice<T extends string>(choices: readonly T[]): ArgumentParser<T> {
  return (value) => {
    const choice = choices.find((candidate) => candidate === value);
    if (choice === undefined) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return choice;
  };
}
