import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { Chat } from '@boocode/protocol';
import { Alert, Button, Spinner } from '@boocode/ui';
import { ApiError, errorMessage } from '../../lib/api.ts';
import { getLastModel, setLastModel } from '../../lib/last-model.ts';
import { getLastProject, setLastProject } from '../../lib/last-project.ts';
import { chatPath, navigate } from '../../lib/router.ts';
import { toastError } from '../../lib/toast.ts';
import { useProjects } from '../projects/project-api.ts';
import { defaultProject } from '../projects/default-project.ts';
import { ArtifactWorkspace } from '../artifacts/artifact-workspace.tsx';
import { replyApi, useCreateChat, useForkChat, useModels, useUpdateChat } from './chat-api.ts';
import { ChatHeader } from './chat-header.tsx';
import { COMPOSER_ATTR, Composer } from './composer.tsx';
import { EmptyState } from './empty-state.tsx';
import { MessageList } from './message-list.tsx';
import { defaultModel } from './model-picker.tsx';
import { AgentPicker } from '../agents/agent-picker.tsx';
import { useAgents } from '../agents/agents-api.ts';
import type { ChatStream } from './use-chat-stream.ts';

interface Props {
  chatId: string | null;
  stream: ChatStream;
  setChat: (chat: Chat) => void;
  sidebarOpen: boolean;
  /** Absent: no sidebar toggle in the header (a pane that is not the first). */
  onToggleSidebar?: () => void;
  onNewChat: () => void;
  /** Shows another chat here (a new one just sent, a fork); default: go to its address. */
  onOpenChat?: (chatId: string) => void;
  /** The pane's buttons, at the end of the header. */
  headerActions?: ReactNode;
}

/** The open chat (or the new-chat screen): header, messages, composer. */
export function ChatView({
  chatId,
  stream,
  setChat,
  sidebarOpen,
  onToggleSidebar,
  onNewChat,
  onOpenChat = openByAddress,
  headerActions,
}: Props) {
  const models = useModels();
  const createChat = useCreateChat();
  const updateChat = useUpdateChat();
  const { mutateAsync: forkChat } = useForkChat();
  const [lastModel, setLastModelState] = useState(getLastModel);
  const [draftModel, setDraftModel] = useState<string | null>(null);
  const projects = useProjects();
  const [lastProject, setLastProjectState] = useState(getLastProject);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [draftAgent, setDraftAgent] = useState<string | null>(null);
  const agents = useAgents();
  const [editingIn, setEditingIn] = useState(chatId);
  if (editingIn !== chatId) {
    setEditingIn(chatId);
    setEditingId(null);
  }

  const chat = stream.status === 'ready' ? stream.chat : null;
  const running = stream.status === 'ready' && stream.running;
  const model = defaultModel(chat ? chat.model : draftModel, lastModel, models.data?.models);
  // A new chat's project is the default until picked: picking also makes it the next default.
  const projectId = chat
    ? chat.projectId
    : chatId
      ? null
      : defaultProject(lastProject, projects.data?.projects);

  const remember = (m: string) => {
    setLastModel(m);
    setLastModelState(m);
  };

  const onModelChange = (m: string) => {
    remember(m);
    if (!chat) return setDraftModel(m);
    setChat({ ...chat, model: m });
    updateChat.mutate({ chatId: chat.id, model: m }, { onSuccess: setChat });
  };

  const onProjectChange = (p: string | null) => {
    setLastProject(p);
    setLastProjectState(p ?? '');
    if (!chat) return;
    setChat({ ...chat, projectId: p });
    updateChat.mutate(
      { chatId: chat.id, projectId: p },
      { onSuccess: setChat, onError: () => setChat(chat) },
    );
  };

  const onProjectRemoved = (p: string) => {
    // The server leaves chats that used it without a project.
    if (chat?.projectId === p) setChat({ ...chat, projectId: null });
  };

  const send = async (content: string): Promise<boolean> => {
    const m = model ?? undefined;
    if (m) remember(m);
    try {
      let id = chatId;
      if (!id) {
        const created = await createChat.mutateAsync({
          model: m,
          projectId: projectId ?? undefined,
          agentId: draftAgent ?? undefined,
        });
        setDraftAgent(null);
        id = created.id;
        onOpenChat(id);
      }
      await replyApi.send(id, content, m);
      return true;
    } catch (err) {
      toastError(errorMessage(err));
      return false;
    }
  };

  const rootRef = useRef<HTMLDivElement>(null);
  // The button pressed (Stop, Regenerate, Save) goes away with the state it was for: the
  // focus goes to the message box rather than to nowhere, so Esc and typing still work.
  const focusComposer = useCallback(
    () => rootRef.current?.querySelector<HTMLElement>(`[${COMPOSER_ATTR}]`)?.focus(),
    [],
  );
  const stop = useCallback(() => {
    if (!chatId) return;
    focusComposer();
    replyApi.stop(chatId).catch((err: unknown) => toastError(errorMessage(err)));
  }, [chatId, focusComposer]);
  useEscToStop(rootRef, running, stop);

  const m = model ?? undefined;
  const onRegenerate = useCallback(() => {
    if (!chatId) return;
    focusComposer();
    replyApi.regenerate(chatId, m).catch((err: unknown) => toastError(errorMessage(err)));
  }, [chatId, m, focusComposer]);
  const onEditSave = useCallback(
    (messageId: string, content: string) => {
      if (!chatId) return;
      replyApi.edit(chatId, messageId, content, m).then(
        () => {
          setEditingId(null);
          focusComposer();
        },
        (err: unknown) => toastError(errorMessage(err)),
      );
    },
    [chatId, m, focusComposer],
  );
  const onEditCancel = useCallback(() => setEditingId(null), []);
  const onFork = useCallback(
    async (messageId: string) => {
      if (!chatId) return;
      try {
        const fork = await forkChat({ chatId, messageId });
        onOpenChat(fork.id);
      } catch (err) {
        toastError(errorMessage(err));
      }
    },
    [chatId, forkChat, onOpenChat],
  );

  const title = chat?.title || (chatId ? '' : 'New chat');
  const agentName = chat?.agentId
    ? (agents.data?.agents.find((a) => a.id === chat.agentId)?.name ?? chat.agentId)
    : null;
  const onCompact =
    chat && !running && stream.status === 'ready' && stream.messages.length > 0
      ? () => {
          replyApi.compact(chat.id, m).catch((err: unknown) => toastError(errorMessage(err)));
        }
      : null;
  const onAgentChange = (agentId: string | null) => {
    setDraftAgent(agentId);
    // An agent that names its model starts on it.
    const agentModel = agents.data?.agents.find((a) => a.id === agentId)?.model;
    if (agentModel) setDraftModel(agentModel);
  };

  return (
    <div ref={rootRef} className="flex h-full min-w-0 flex-1 flex-col">
      <ChatHeader
        title={title}
        chatId={chat?.id ?? null}
        model={model}
        usage={chat?.usage ?? null}
        onModelChange={onModelChange}
        projectId={projectId}
        onProjectChange={onProjectChange}
        onProjectRemoved={onProjectRemoved}
        sidebarOpen={sidebarOpen}
        onToggleSidebar={onToggleSidebar}
        actions={headerActions}
        agentName={agentName}
        projectLocked={chat?.kind === 'coder'}
        onCompact={onCompact}
      />
      <ArtifactWorkspace
        chatId={chatId}
        messages={stream.status === 'ready' ? stream.messages : null}
      >
        {stream.status === 'loading' ? (
          <div className="text-muted-foreground flex flex-1 items-center justify-center">
            <Spinner />
            <span className="sr-only">Loading chat…</span>
          </div>
        ) : stream.status === 'error' ? (
          <div className="flex flex-1 items-center justify-center p-6">
            <Alert variant="destructive" className="flex max-w-md flex-col items-start gap-3">
              <span>
                {stream.error instanceof ApiError && stream.error.status === 404
                  ? 'This chat does not exist: it may have been deleted.'
                  : errorMessage(stream.error)}
              </span>
              <Button variant="outline" size="sm" onClick={onNewChat}>
                Start a new chat
              </Button>
            </Alert>
          </div>
        ) : stream.status === 'ready' && stream.messages.length > 0 ? (
          <MessageList
            key={chatId}
            messages={stream.messages}
            hasMore={stream.hasMore}
            loadOlder={stream.loadOlder}
            running={running}
            editingId={editingId}
            onEditStart={setEditingId}
            onEditCancel={onEditCancel}
            onEditSave={onEditSave}
            onRegenerate={onRegenerate}
            onFork={onFork}
          />
        ) : (
          <EmptyState>
            {chatId ? null : <AgentPicker value={draftAgent} onChange={onAgentChange} />}
          </EmptyState>
        )}
        <Composer chatKey={chatId} running={running} onSend={send} onStop={stop} />
      </ArtifactWorkspace>
    </div>
  );
}

/**
 * Esc stops the running reply when the focus is in this chat, or nowhere (or on the pane
 * itself) and this chat's pane is the active one. Whatever uses Esc itself first (an editor, a popover, the artifact pane)
 * marks the key handled.
 */
function useEscToStop(
  rootRef: RefObject<HTMLElement | null>,
  running: boolean,
  stop: () => void,
): void {
  useEffect(() => {
    if (!running) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return;
      const root = rootRef.current;
      if (!root) return;
      const pane = root.closest('[data-pane-id]');
      const focus = document.activeElement;
      const nowhere = !focus || focus === document.body || focus === pane;
      const here =
        (!!focus && root.contains(focus)) ||
        (nowhere && (!pane || pane.hasAttribute('data-active')));
      if (!here) return;
      e.preventDefault();
      stop();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [rootRef, running, stop]);
}

function openByAddress(chatId: string): void {
  navigate(chatPath(chatId));
}
