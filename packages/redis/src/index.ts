export { RedisConcurrency, type RedisConcurrencyOptions, type SharedConcurrency } from "./concurrency.js";
export { RedisUnavailableError } from "./connection.js";
export {
  type CarriedRow,
  JournalConflictError,
  type JournalHooks,
  type JournalRow,
  type JournalSnapshot,
  type JournalStore,
  journalHooks,
  planResume,
  RedisJournal,
  type RedisJournalOptions,
} from "./journal.js";
export { RedisPacer, type RedisPacingOptions, redisPacing } from "./pacer.js";
