import { describeAttachmentContract } from './test-support/attachments-contract.js';
import { describeChatStoreContract } from './test-support/contract.js';
import { describeModerationContract } from './test-support/moderation-contract.js';
import { MemoryStore } from './memory.js';

// The same suite as SQLite and PostgreSQL; nothing is kept, so no persistence or at-rest tests.
describeChatStoreContract(
  'MemoryStore',
  async () => {
    const store = new MemoryStore();
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);
describeModerationContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

describeAttachmentContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
