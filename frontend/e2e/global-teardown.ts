import { rmSync } from 'node:fs';

/** Removes the run's temporary data dir (the server may still hold its files open; Linux does not mind). */
export default function globalTeardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && /yanxiu-e2e-/.test(dir)) rmSync(dir, { recursive: true, force: true });
}
