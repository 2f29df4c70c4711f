import {
  foldSessionSummary,
  type SessionKey,
  type SessionStore,
  type SessionStoreEntry,
  type SessionSummaryEntry,
} from '@anthropic-ai/claude-agent-sdk';
import {
  appendClaudeSessionEntries,
  deleteClaudeSession,
  listClaudeSessions,
  listClaudeSessionSubkeys,
  listClaudeSessionSummaries,
  loadClaudeSessionEntries,
  type FoldSummary,
  type Sql,
} from '@boocode/db';

/**
 * The Claude Agent SDK's transcript mirror in PostgreSQL (`claude_session_entries`): what lets
 * a Claude session resume after boocode restarts, whatever became of the CLI's local copy.
 * Entries keep their append order, `uuid` is an idempotency key (a retried or replayed batch
 * adds nothing twice), and the main transcript's summary is folded on every append.
 */
export class PgSessionStore implements SessionStore {
  constructor(private readonly sql: Sql) {}

  async append(key: SessionKey, entries: SessionStoreEntry[]): Promise<void> {
    const fold: FoldSummary = (prev, appended, mtime) =>
      foldSessionSummary(prev, key, appended, { mtime });
    await appendClaudeSessionEntries(this.sql, key, entries, fold);
  }

  load(key: SessionKey): Promise<SessionStoreEntry[] | null> {
    return loadClaudeSessionEntries(this.sql, key);
  }

  listSessions(projectKey: string): Promise<{ sessionId: string; mtime: number }[]> {
    return listClaudeSessions(this.sql, projectKey);
  }

  listSessionSummaries(projectKey: string): Promise<SessionSummaryEntry[]> {
    return listClaudeSessionSummaries(this.sql, projectKey);
  }

  delete(key: SessionKey): Promise<void> {
    return deleteClaudeSession(this.sql, key);
  }

  listSubkeys(key: { projectKey: string; sessionId: string }): Promise<string[]> {
    return listClaudeSessionSubkeys(this.sql, key);
  }
}
