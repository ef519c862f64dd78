import { useGroupBuyRoom } from '@groupbuy/react';
import { MessageInput } from './MessageInput.js';
import { MessageList } from './MessageList.js';
import { ParticipantList } from './ParticipantList.js';

/** The seed's ChatRoom: header, messages, buyers and composer, all from one hook call. */
export function ChatRoom({ productId }: { productId: string }) {
  const room = useGroupBuyRoom(productId);
  const info = room.room;
  if (room.status === 'error') return <p className="error">Could not open the chat ({room.loadError?.code}).</p>;
  if (!info) return <p className="muted">Loading…</p>;
  const active = info.status === 'ACTIVE';
  return (
    <div className="chat-room">
      <div className="chat-header">
        <strong>{info.title}</strong>
        <span className={`badge ${info.status.toLowerCase()}`}>{info.status}</span>
        <span>
          {info.participantCount}/{info.maxParticipants} joined
        </span>
        {active && !room.isHost && (
          <button onClick={() => void (room.isParticipant ? room.leave() : room.join()).catch(() => {})}>
            {room.isParticipant ? 'Leave' : 'Join'}
          </button>
        )}
      </div>
      {room.connection !== 'open' && <p className="banner">Connection: {room.connection}…</p>}
      {room.lastError && <p className="error">{room.lastError.message}</p>}
      <MessageList
        messages={room.messages}
        hasOlder={room.hasOlder}
        onLoadOlder={room.loadOlder}
        onRetry={room.retry}
        onDiscard={room.discard}
      />
      <ParticipantList participants={room.participants} viewers={room.viewers} hostId={info.hostId} />
      <MessageInput disabled={!active} onSend={room.sendMessage} />
    </div>
  );
}
