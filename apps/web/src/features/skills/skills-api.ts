import { SkillList } from '@boocode/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** The skills a chat sees (its projects' and the user's), or a project's before the chat exists. */
export function useSkills(
  scope: { chatId: string | null; projectId: string | null },
  enabled: boolean,
) {
  const query = scope.chatId
    ? `chatId=${encodeURIComponent(scope.chatId)}`
    : scope.projectId
      ? `projectId=${encodeURIComponent(scope.projectId)}`
      : '';
  return useQuery({
    queryKey: ['skills', query],
    queryFn: ({ signal }) => api(`/api/skills?${query}`, { schema: SkillList, signal }),
    enabled,
    staleTime: 10_000,
  });
}
