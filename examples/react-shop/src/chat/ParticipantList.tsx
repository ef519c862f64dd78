import type { Participant, Viewer } from '@groupbuy/protocol';

/** Props of {@link ParticipantList}. */
export interface ParticipantListProps {
  participants: readonly Participant[];
  viewers: readonly Viewer[];
  hostId: string | null;
}

/** The seed's ParticipantList: the buyers, then who is watching without having joined. */
export function ParticipantList({ participants, viewers, hostId }: ParticipantListProps) {
  const buyers = new Set(participants.map((p) => p.userId));
  const watchers = viewers.filter((v) => !buyers.has(v.userId));
  return (
    <aside className="people">
      <h3>Buyers ({participants.length})</h3>
      <ul>
        {participants.map((p) => (
          <li key={p.userId}>
            {p.name}
            {p.userId === hostId && ' (seller)'}
          </li>
        ))}
      </ul>
      {watchers.length > 0 && <p className="muted">Watching now: {watchers.map((v) => v.name).join(', ')}</p>}
    </aside>
  );
}
