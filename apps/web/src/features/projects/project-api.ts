import { GrantList, Project, ProjectList } from '@boocode/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export const projectsKey = ['projects'] as const;
type Grants = { projectIds: string[] };

const grantsKey = (chatId: string) => ['grants', chatId] as const;

const projectUrl = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`;
const grantsUrl = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}/grants`;

export function useProjects() {
  return useQuery({
    queryKey: projectsKey,
    queryFn: ({ signal }) => api('/api/projects', { schema: ProjectList, signal }),
    staleTime: 60_000,
  });
}

/** Registers a git repository; its error is shown by the form, not as a toast. */
export function useAddProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (path: string) =>
      api('/api/projects', { method: 'POST', body: { path }, schema: Project }),
    meta: { silent: true },
    onSuccess: (project) => {
      qc.setQueryData<{ projects: Project[] }>(projectsKey, (list) =>
        list ? { projects: [...list.projects, project] } : list,
      );
      return qc.invalidateQueries({ queryKey: projectsKey });
    },
  });
}

export function useRemoveProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (projectId: string) => api(projectUrl(projectId), { method: 'DELETE' }),
    onSuccess: (_void, projectId) => {
      qc.setQueryData<{ projects: Project[] }>(projectsKey, (list) =>
        list ? { projects: list.projects.filter((p) => p.id !== projectId) } : list,
      );
      // Chats lose the project and any grant to it on the server.
      void qc.invalidateQueries({ queryKey: ['grants'] });
      return qc.invalidateQueries({ queryKey: projectsKey });
    },
  });
}

/** The projects a chat may read besides its own. */
export function useGrants(chatId: string, enabled: boolean) {
  return useQuery({
    queryKey: grantsKey(chatId),
    queryFn: ({ signal }) => api(grantsUrl(chatId), { schema: GrantList, signal }),
    enabled,
  });
}

/** Grants or revokes read access, showing the change at once and undoing it if refused. */
export function useSetGrant(chatId: string) {
  const qc = useQueryClient();
  const key = grantsKey(chatId);
  return useMutation({
    mutationFn: ({ projectId, granted }: { projectId: string; granted: boolean }) =>
      api(`${grantsUrl(chatId)}/${encodeURIComponent(projectId)}`, {
        method: granted ? 'PUT' : 'DELETE',
      }),
    onMutate: async ({ projectId, granted }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Grants>(key);
      qc.setQueryData<Grants>(key, (list) => {
        const ids = (list?.projectIds ?? []).filter((id) => id !== projectId);
        return { projectIds: granted ? [...ids, projectId] : ids };
      });
      return { before };
    },
    onError: (_err, _vars, ctx) => {
      if (ctx?.before) qc.setQueryData(key, ctx.before);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
}
