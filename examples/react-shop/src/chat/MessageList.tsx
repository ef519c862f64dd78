import { useEffect, useRef } from 'react';
import type { ViewMessage } from '@groupbuy/sdk';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  messages: readonly ViewMessage[];
  hasOlder: boolean;
  onLoadOlder: () => Promise<number>;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
}

/** The seed's MessageList: one row per message, pending ones dimmed, failed ones with Retry / Discard. */
export function MessageList({ messages, hasOlder, onLoadOlder, onRetry, onDiscard }: MessageListProps) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);
  return (
    <ol className="messages" role="log" aria-live="polite">
      {hasOlder && (
        <li>
          <button onClick={() => void onLoadOlder()}>Load older messages</button>
        </li>
      )}
      {messages.map((m) => (
        // A pending copy and its stored message share the clientMsgId: keyed by it, the row stays put.
        <li key={m.clientMsgId ?? m.id} className={`message ${m.type.toLowerCase()} ${m.status}`}>
          {m.type === 'CHAT' && <b>{m.sender?.name}: </b>}
          {m.content}
          {m.status === 'pending' && <small> sending…</small>}
          {m.status === 'failed' && (
            <span>
              {' '}
              <small>{m.error?.message}</small> <button onClick={() => onRetry(m.clientMsgId)}>Retry</button>
              <button onClick={() => onDiscard(m.clientMsgId)}>Discard</button>
            </span>
          )}
        </li>
      ))}
      <li ref={end} aria-hidden="true" />
    </ol>
  );
}
