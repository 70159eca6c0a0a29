// JUnit XML for CI: one <testsuite> per scenario file, one <testcase> per expectation and
// per rule. Rules a platform does not have, or that events cannot show, are <skipped> with
// the reason: listed, never passed. The shape follows the Apache Ant JUnit schema
// (junit-ant.xsd beside this file), which CI report readers accept.
import type { Expectation } from './report';
import type { RuleVerdict } from './rules';

export interface JUnitSuite {
  /** The scenario file, as given on the command line. */
  file: string;
  name: string;
  backend: string;
  /** Epoch ms when the file's run started. */
  startedAt: number;
  durationMs: number;
  expectations: readonly Expectation[];
  /** Absent when rules were not checked. */
  rules?: readonly RuleVerdict[];
  /** Why the file could not be run at all (a malformed file). */
  error?: string;
}

export function junitXml(suites: readonly JUnitSuite[], hostname: string): string {
  const body = suites.map((suite, id) => suiteXml(suite, id, hostname)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${body}</testsuites>\n`;
}

interface Case {
  name: string;
  classname: string;
  outcome: { kind: 'passed' } | { kind: 'failure' | 'error' | 'skipped'; message: string };
}

function suiteXml(suite: JUnitSuite, id: number, hostname: string): string {
  const base = classBase(suite.file);
  const cases: Case[] = suite.expectations.map((expectation) => ({
    name: expectation.name,
    classname: `${base}.expectations`,
    outcome: expectation.passed ? { kind: 'passed' } : { kind: 'failure', message: expectation.detail },
  }));
  for (const verdict of suite.rules ?? []) {
    const name = `${verdict.rule} ${verdict.title}`;
    const classname = `${base}.rules`;
    if (verdict.status === 'passed') cases.push({ name, classname, outcome: { kind: 'passed' } });
    else if (verdict.status === 'failed') {
      const message = verdict.violations.map((found) => `${describeWhere(found)}: ${found.message}`).join('\n');
      cases.push({ name, classname, outcome: { kind: 'failure', message } });
    } else cases.push({ name, classname, outcome: { kind: 'skipped', message: `${verdict.status}: ${verdict.reason}` } });
  }
  if (suite.error !== undefined) cases.push({ name: 'scenario file', classname: base, outcome: { kind: 'error', message: suite.error } });
  const count = (kind: string) => cases.filter((entry) => entry.outcome.kind === kind).length;
  const attributes = {
    name: suite.name,
    package: base,
    id: String(id),
    timestamp: new Date(suite.startedAt).toISOString().slice(0, 19),
    hostname: hostname || 'localhost',
    tests: String(cases.length),
    failures: String(count('failure')),
    errors: String(count('error')),
    skipped: String(count('skipped')),
    time: seconds(suite.durationMs),
  };
  const properties = `    <properties>\n      <property name="file" value="${escape(suite.file)}"/>\n      <property name="backend" value="${escape(suite.backend)}"/>\n    </properties>\n`;
  return `  <testsuite${attrs(attributes)}>\n${properties}${cases.map(caseXml).join('')}    <system-out/>\n    <system-err/>\n  </testsuite>\n`;
}

function caseXml({ name, classname, outcome }: Case): string {
  const open = `    <testcase${attrs({ name, classname, time: '0' })}`;
  if (outcome.kind === 'passed') return `${open}/>\n`;
  const type = outcome.kind === 'skipped' ? '' : ` type="${outcome.kind === 'failure' ? 'mismatch' : 'bad-file'}"`;
  const firstLine = outcome.message.split('\n')[0] ?? '';
  return `${open}>\n      <${outcome.kind} message="${escape(firstLine)}"${type}>${escape(outcome.message)}</${outcome.kind}>\n    </testcase>\n`;
}

export function describeWhere(found: { eventNumber: number | null; at: number | null; eventType: string | null }): string {
  if (found.eventNumber === null) return found.at === null ? 'at the end' : `at ${found.at} ms`;
  return `event #${found.eventNumber} (${found.eventType}) at ${found.at} ms`;
}

/** "scenarios/pulse/move.yaml" -> "scenarios.pulse.move": a class name for report readers that group by it. */
function classBase(file: string): string {
  return file.replace(/\.(ya?ml|json)$/i, '').replace(/[^\w]+/g, '.').replace(/^\.+|\.+$/g, '') || 'scenario';
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function attrs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${escape(value)}"`)
    .join('');
}

/** XML text and attribute escaping; characters XML 1.0 cannot hold at all become U+FFFD. */
function escape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll('\n', '&#10;');
}
