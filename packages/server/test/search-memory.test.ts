import { MemoryStore } from '../src/storage/memory/memory-store.ts';
import { runSearchContract } from './search-contract.ts';

runSearchContract('memory', async () => new MemoryStore());
