export { RedisUnavailableError } from "./connection.js";
export {
  type JournalHooks,
  type JournalRow,
  type JournalSnapshot,
  type JournalStore,
  type CarriedRow,
  journalHooks,
  planResume,
  RedisJournal,
  type RedisJournalOptions,
} from "./journal.js";
export { RedisPacer, type RedisPacingOptions, redisPacing } from "./pacer.js";
