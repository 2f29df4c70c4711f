import { useCallback, useState } from 'react';
import type { InboxItem, PaneState } from '@boocode/protocol';
import { Button, Popover } from '@boocode/ui';
import { Inbox } from 'lucide-react';
import { toast } from '../../lib/toast.ts';
import { useProviders } from '../coder/agent-api.ts';
import { PermissionRequest } from '../coder/agent-permission.tsx';
import { useProjects } from '../projects/project-api.ts';
import { inboxLabel } from './inbox-items.ts';
import { QuestionItem } from './question-item.tsx';
import { useInbox } from './use-inbox.ts';

/**
 * The Inbox: every agent's permission request and question waiting for the user, wherever its
 * pane is. The
 * button counts them; a new one is announced with a toast. Each can be answered here, or its
 * coder pane opened.
 */
export function InboxButton({ open }: { open: (state: PaneState) => void }) {
  const [shown, setShown] = useState(false);
  const providers = useProviders();
  const projects = useProjects();
  const providerLabel = useCallback(
    (id: string) => providers.data?.providers.find((p) => p.id === id)?.label ?? id,
    [providers.data],
  );
  const projectName = (id: string) =>
    projects.data?.projects.find((p) => p.id === id)?.name ?? 'a project';

  const announce = useCallback(
    (fresh: InboxItem[]) => {
      for (const it of fresh) {
        const who = it.kind === 'permission' ? providerLabel(it.provider) : it.asker;
        toast(`${who} asks: ${it.kind === 'permission' ? it.title : it.question}`);
      }
    },
    [providerLabel],
  );
  const items = useInbox(announce) ?? [];
  const count = items.length;

  return (
    <Popover
      open={shown}
      onOpenChange={setShown}
      label="Inbox"
      side="top"
      align="start"
      className="w-96"
      trigger={{
        variant: 'ghost',
        size: 'sm',
        'aria-label': inboxLabel(count),
        title: 'Permission requests of your agents',
        className: 'w-full justify-start',
        children: (
          <>
            <Inbox />
            Inbox
            {count > 0 ? (
              <span
                aria-hidden="true"
                className="bg-warning text-background ml-auto rounded-full px-1.5 text-[11px] leading-4 font-semibold tabular-nums"
              >
                {count}
              </span>
            ) : null}
          </>
        ),
      }}
    >
      <h2 className="mb-2 text-sm font-semibold">Inbox</h2>
      {count === 0 ? (
        <p className="text-muted-foreground text-xs">No agent is waiting for you.</p>
      ) : (
        <ul className="space-y-1">
          {items.map((it) =>
            it.kind === 'question' ? (
              <li key={it.questionId}>
                <QuestionItem item={it} project={it.projectId ? projectName(it.projectId) : null} />
              </li>
            ) : (
              <li key={it.permissionId}>
                <PermissionRequest
                  permissionId={it.permissionId}
                  title={it.title}
                  options={it.options}
                  detail={
                    <span className="flex items-center gap-2">
                      <span className="min-w-0 flex-1 truncate">
                        {providerLabel(it.provider)} · {projectName(it.projectId)}
                      </span>
                      <Button
                        variant="link"
                        size="sm"
                        className="h-auto p-0 text-xs"
                        onClick={() => {
                          setShown(false);
                          open({
                            kind: 'coder',
                            chatId: it.chatId,
                            projectId: it.projectId,
                            provider: it.provider,
                          });
                        }}
                      >
                        Open coder pane
                      </Button>
                    </span>
                  }
                />
              </li>
            ),
          )}
        </ul>
      )}
    </Popover>
  );
}
