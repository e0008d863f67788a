#!/usr/bin/env node
// Starts the REAL backend for Playwright: a fresh data dir, demo data, then `yanxiu serve` serving frontend/dist.
// Builds nothing: the binary (../target/debug/yanxiu) and dist/ must exist (npm run build; cargo build).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = process.env.YANXIU_BIN ?? resolve(root, '..', 'target', 'debug', 'yanxiu');
const dist = resolve(root, 'dist');
if (!existsSync(bin)) {
  console.error(`e2e-server: backend binary missing at ${bin}; build it first (cargo build -p yanxiu-api --bin yanxiu)`);
  process.exit(1);
}
if (!existsSync(join(dist, 'index.html'))) {
  console.error('e2e-server: frontend/dist missing; run npm run build first');
  process.exit(1);
}
// The data dir comes fresh from playwright.config.ts (mkdtemp); the tests read the outgoing .eml mails from it.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'yanxiu-e2e-'));
mkdirSync(dataDir, { recursive: true });
const env = {
  ...process.env,
  YANXIU_DATA_DIR: dataDir,
  YANXIU_BIND: `127.0.0.1:${process.env.E2E_PORT ?? 18787}`,
  YANXIU_ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Passw0rd!',
  YANXIU_SECURITY_ADMIN_PASSWORD: process.env.E2E_SECURITY_PASSWORD ?? 'Security-Passw0rd!',
  YANXIU_STATIC_DIR: dist,
  RUST_LOG: process.env.RUST_LOG ?? 'warn',
  YANXIU_PUBLIC_URL: `http://127.0.0.1:${process.env.E2E_PORT ?? 18787}`,
  // Every test signs in from 127.0.0.1: lift the per-IP login rate so the suite is not throttled.
  YANXIU_LOGIN_RATE_PER_MINUTE: '1000',
  // Test settings: administrators sign in with a password alone and accounts the specs create are not forced to
  // change their password; second-factor.spec.ts enrols its own fresh account.
  YANXIU_MFA_REQUIRED_ROLES: '',
  YANXIU_PASSWORD_CHANGE_AT_FIRST_SIGN_IN: 'false',
};
console.log(`e2e-server: data dir ${dataDir}`);
// The specs were written against the directory and accounts alone: no demo year (programs, hours …).
const demo = spawnSync(bin, ['demo-data', '--directory-only'], { env, stdio: 'inherit' });
if (demo.status !== 0) {
  console.error(`e2e-server: demo-data failed (${demo.status})`);
  process.exit(1);
}
const server = spawn(bin, ['serve'], { env, stdio: 'inherit' });
const stop = () => server.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => {
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
