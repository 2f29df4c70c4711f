import { useQuery } from '@tanstack/react-query';
import { BOOCODE_VERSION, HealthResponse } from '@boocode/protocol';
import { api } from '../../lib/api.ts';

/**
 * Settings' "About" line: the running server's version (from `GET /api/health`), and this
 * page's when they differ (a server upgraded under an open tab: reload to get the new UI).
 */
export function AboutLine() {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => api('/api/health', { schema: HealthResponse }),
  });
  const server = health.data?.version;
  return (
    <p className="text-muted-foreground text-xs" data-testid="about">
      About: boocode {server ?? BOOCODE_VERSION}
      {server && server !== BOOCODE_VERSION && ` (this page is ${BOOCODE_VERSION}: reload it)`}
    </p>
  );
}
