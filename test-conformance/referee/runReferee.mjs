import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endChild, exited, startChild } from './childProcesses.mjs';

/** One referee invocation never takes longer than this (the scenarios have their own 30 s limits). */
const RUN_TIMEOUT_MS = 20 * 60_000;

/**
 * @typedef {object} ScenarioResult
 * @property {string} scenario the referee's scenario id
 * @property {number} passed checks with status SUCCESS
 * @property {number} failed checks with status FAILURE
 * @property {number} warnings checks with status WARNING
 * @property {number} skipped checks with status SKIPPED
 * @property {string[]} problems `id: message` of each FAILURE and WARNING check
 */

/**
 * Runs `node <entry> server --url <url> ...args -o <outDir>` and reads back
 * one result per scenario the referee announced (`=== Running scenario: x`)
 * or wrote a result directory for. A scenario that announced itself but left
 * no `checks.json` (it crashed) is a failure. The referee's output goes to
 * `logFile`.
 * @param {{ node: string, entry: string, url: string, args: readonly string[], outDir: string, logFile: string }} run
 * @returns {Promise<{ exitCode: number | string, results: ScenarioResult[] }>}
 */
export async function runReferee({ node, entry, url, args, outDir, logFile }) {
  mkdirSync(outDir, { recursive: true });
  const child = startChild(node, [entry, 'server', '--url', url, ...args, '-o', outDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  log.on('error', (error) => process.stderr.write(`cannot write ${logFile}: ${error.message}\n`));
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    log.write(chunk);
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const timer = setTimeout(() => void endChild(child), RUN_TIMEOUT_MS);
  const exitCode = await exited(child);
  clearTimeout(timer);
  await new Promise((resolve) => log.end(resolve));

  const announced = [...output.matchAll(/^=== Running scenario: (\S+) ===$/gm)].map((m) => /** @type {string} */ (m[1]));
  const written = readResultDirs(outDir);
  const names = [...new Set([...announced, ...written.keys()])];
  return { exitCode, results: names.map((scenario) => resultOf(scenario, written.get(scenario))) };
}

/**
 * Result directories are `server-<scenario>-<ISO time with - for : and .>`.
 * @param {string} outDir
 * @returns {Map<string, string>} scenario → directory
 */
function readResultDirs(outDir) {
  const dirs = new Map();
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    const match = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(entry.name);
    if (entry.isDirectory() && match) dirs.set(match[1], join(outDir, entry.name));
  }
  return dirs;
}

/**
 * @param {string} scenario
 * @param {string | undefined} dir
 * @returns {ScenarioResult}
 */
function resultOf(scenario, dir) {
  const file = dir === undefined ? undefined : join(dir, 'checks.json');
  if (file === undefined || !existsSync(file)) {
    return { scenario, passed: 0, failed: 1, warnings: 0, skipped: 0, problems: ['no checks.json: the scenario crashed or timed out (see the referee log)'] };
  }
  /** @type {{ id: string, status: string, errorMessage?: string, description?: string }[]} */
  const checks = JSON.parse(readFileSync(file, 'utf8'));
  const count = (/** @type {string} */ status) => checks.filter((c) => c.status === status).length;
  const problems = checks
    .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
    .map((c) => `${c.status === 'FAILURE' ? 'FAIL' : 'WARN'} ${c.id}: ${c.errorMessage ?? c.description ?? ''}`);
  return { scenario, passed: count('SUCCESS'), failed: count('FAILURE'), warnings: count('WARNING'), skipped: count('SKIPPED'), problems };
}
