import { workerData } from 'node:worker_threads';
import type { ItemPassInit } from './parallel.ts';

// Entry of an item-pass thread (see parallel.ts). The engine is imported here, inside the try, so a
// thread that cannot even load reports why instead of leaving the main thread waiting.
const init = workerData as ItemPassInit;
const signal = new Int32Array(init.signal);
const post = (message: unknown): void => {
  init.port.postMessage(message);
  Atomics.add(signal, 0, 1); // POSTED
  Atomics.notify(signal, 0);
};
try {
  const { itemPassThread } = await import('./parallel.ts');
  itemPassThread(init, post);
} catch (err) {
  post({ t: 'failed', message: err instanceof Error ? err.message : String(err) });
}
