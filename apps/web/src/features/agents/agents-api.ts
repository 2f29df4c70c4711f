import { AgentList } from '@boocode/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export function useAgents() {
  return useQuery({
    queryKey: ['agents'],
    queryFn: ({ signal }) => api('/api/agents', { schema: AgentList, signal }),
    staleTime: 30_000,
  });
}
