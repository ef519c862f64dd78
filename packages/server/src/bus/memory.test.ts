import { describeBusContract } from './test-support/contract.js';
import { MemoryBus } from './memory.js';

// In one process both "instances" share the one bus, which is what the in-memory default means.
describeBusContract('memory', async () => {
  const bus = new MemoryBus();
  return { a: bus, b: bus, cleanup: () => bus.close() };
});
