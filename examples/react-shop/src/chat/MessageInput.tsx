import { useState, type SyntheticEvent } from 'react';
import { ChatError } from '@groupbuy/sdk';

/** Props of {@link MessageInput}. */
export interface MessageInputProps {
  disabled: boolean;
  onSend: (content: string) => unknown;
}

/** The seed's MessageInput: a text field that sends on Enter and shows why a send was refused. */
export function MessageInput({ disabled, onSend }: MessageInputProps) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    try {
      onSend(text);
      setText('');
      setProblem(null);
    } catch (err) {
      // Empty or over 2000 characters: the SDK refuses it before it leaves the page.
      setProblem(err instanceof ChatError ? err.message : String(err));
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <input
        aria-label="Message"
        value={text}
        disabled={disabled}
        placeholder={disabled ? 'This deal has ended' : 'Ask the seller or the other buyers…'}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" disabled={disabled || !text.trim()}>
        Send
      </button>
      {problem && <p className="error">{problem}</p>}
    </form>
  );
}
