import { useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AgentSession, ProviderInfo } from '@boocode/protocol';
import { Button, Spinner } from '@boocode/ui';
import { SquarePlus } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';
import { Composer } from '../chat/composer.tsx';
import {
  cancelSession,
  closeSession,
  promptSession,
  sessionsKey,
  startSession,
  useSessions,
} from './agent-api.ts';
import { pickedChoice, sendAction } from './agent-choice.ts';
import { AgentSettingsPickers, DEFAULT_SETTINGS, type AgentSettings } from './agent-pickers.tsx';
import { isBusy } from './agent-run-state.ts';
import { AgentRunView } from './agent-run-view.tsx';
import { useAgentRun } from './use-agent-run.ts';

interface Props {
  chatId: string;
  provider: string;
  providers: ProviderInfo[] | undefined;
  /** The Provider picker, first in the bar. */
  providerPicker: ReactNode;
}

/**
 * The left side of a coder pane that drives an agent: its latest session's run, live, and the
 * composer. Send starts a session, or prompts the idle one of the same provider.
 */
export function AgentSide({ chatId, provider, providers, providerPicker }: Props) {
  const qc = useQueryClient();
  const sessions = useSessions(chatId, true);
  // undefined: the pane's latest session; null: cleared by "New session"; else the one started.
  const [picked, setPicked] = useState<AgentSession | null | undefined>(undefined);
  const [settings, setSettings] = useState<AgentSettings>(DEFAULT_SETTINGS);
  const [settingsFor, setSettingsFor] = useState(provider);
  if (settingsFor !== provider) {
    setSettingsFor(provider);
    setSettings(DEFAULT_SETTINGS);
  }

  const list = sessions.data?.sessions;
  // A closed session was put away ("New session"): the pane opens on the latest other one. An
  // arena's entrants show in the Arena.
  const latest = list?.find((s) => s.status !== 'closed' && !s.arenaId) ?? null;
  const chosen = picked === undefined ? latest : picked;
  const session = (chosen && list?.find((s) => s.id === chosen.id)) ?? chosen;
  const { run, report } = useAgentRun(session);
  const live = run?.session ?? session;
  const busy = isBusy(live);
  const info = providers?.find((p) => p.id === provider);
  const refreshSessions = () => qc.invalidateQueries({ queryKey: sessionsKey(chatId) });

  const send = async (text: string): Promise<boolean> => {
    try {
      switch (sendAction(live, provider)) {
        case 'busy':
          return false;
        case 'prompt':
          report(await promptSession(live!.id, text));
          return true;
        case 'start': {
          const started = await startSession({
            chatId,
            provider,
            mode: pickedChoice(info?.modes ?? [], settings.mode),
            model: pickedChoice(info?.models ?? [], settings.model),
            thinking: pickedChoice(info?.thinkingLevels ?? [], settings.thinking),
            prompt: text,
          });
          setPicked(started);
          void refreshSessions();
          return true;
        }
      }
    } catch (err) {
      toastError(errorMessage(err));
      return false;
    }
  };

  const stop = () => {
    if (!live) return;
    cancelSession(live.id).then(report, (err: unknown) => toastError(errorMessage(err)));
  };

  const newSession = () => {
    if (!live || live.status === 'closed') {
      setPicked(null);
      return;
    }
    closeSession(live.id).then(
      () => {
        setPicked(null);
        void refreshSessions();
      },
      (err: unknown) => toastError(errorMessage(err)),
    );
  };

  return (
    <section aria-label="Agent run" className="flex h-full min-w-0 flex-col">
      <div
        role="toolbar"
        aria-label="Agent"
        className="border-border flex shrink-0 flex-wrap items-center gap-1.5 border-b px-2 py-1.5"
      >
        {providerPicker}
        <AgentSettingsPickers provider={info} value={settings} onChange={setSettings} />
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto"
          title="Close this session (its worktree is removed) and start afresh"
          disabled={!live}
          onClick={newSession}
        >
          <SquarePlus />
          New session
        </Button>
      </div>
      {run ? (
        <AgentRunView run={run} />
      ) : (
        <EmptyRun loading={sessions.isPending} label={info?.label ?? provider} />
      )}
      <div
        onKeyDown={(e) => {
          // Esc in the message box stops the running turn, as in a chat.
          if (e.key !== 'Escape' || !busy || e.nativeEvent.isComposing) return;
          e.preventDefault();
          stop();
        }}
      >
        <Composer
          chatKey={chatId}
          running={busy}
          onSend={send}
          onStop={stop}
          recipient={info?.label ?? provider}
        />
      </div>
    </section>
  );
}

function EmptyRun({ loading, label }: { loading: boolean; label: string }) {
  return (
    <div className="text-muted-foreground flex min-h-0 flex-1 items-center justify-center px-6 text-center text-sm">
      {loading ? (
        <Spinner />
      ) : (
        <p className="max-w-sm">
          Send a message to start {label} in its own worktree of the project. Its changes wait for
          your review on the right.
        </p>
      )}
    </div>
  );
}
