import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { navigate } from '../../lib/router.ts';
import { toastError } from '../../lib/toast.ts';
import { wsClient } from '../../lib/ws-client.ts';
import { chatsKey } from './chat-api.ts';

/**
 * Runs the socket while the app is signed in and applies the frames that are not about one
 * chat's messages: list changes, deletions of the open chat, server errors.
 */
export function useLiveUpdates(openChatId: string | null): void {
  const qc = useQueryClient();

  useEffect(() => {
    wsClient.start();
    // Whatever changed while the socket was down is fetched again.
    const offOpen = wsClient.onOpen(() => void qc.invalidateQueries({ queryKey: chatsKey }));
    return () => {
      offOpen();
      wsClient.stop();
    };
  }, [qc]);

  useEffect(() => {
    return wsClient.onFrame((frame) => {
      if (frame.type === 'chats.changed') {
        void qc.invalidateQueries({ queryKey: chatsKey });
        if (openChatId && frame.deletedId === openChatId) navigate('/', { replace: true });
      } else if (frame.type === 'error') {
        toastError(frame.message);
      }
    });
  }, [qc, openChatId]);
}
