import { useState } from 'react';
import { chatActions, useChatStore } from '../state/chatStore.ts';
import { MessageView } from './MessageView.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import { ToolsPanel } from './ToolsPanel.tsx';
import { TelemetryPanel } from './TelemetryPanel.tsx';
import { FirstRunCard } from './FirstRunCard.tsx';
import { VirtualList } from './VirtualList.tsx';
import { AnswerAnnouncer } from './AnswerAnnouncer.tsx';
import { useConversations, conversationsActions } from '../state/conversationsStore.ts';
import { AttachBar } from './documents/AttachBar.tsx';

export function ChatView() {
  const messages = useChatStore((s) => s.messages);
  const currentId = useChatStore((s) => s.currentId);
  const title = useChatStore((s) => s.conversations.find((c) => c.id === s.currentId)?.title);
  const focusMessageId = useConversations((s) => s.focusMessageId);
  const branchStatus = useChatStore((s) => s.branchStatus);
  const [text, setText] = useState('');
  const [showSettings, setShowSettings] = useState(false);
  const [showTelemetry, setShowTelemetry] = useState(true);
  const streaming = messages.some((m) => m.status === 'streaming');
  const last = messages.at(-1);

  const submit = () => {
    const value = text.trim();
    if (!value || streaming) return;
    setText('');
    void chatActions.send(value);
  };

  return (
    <section className="chat" aria-labelledby="chat-title">
      <h2 id="chat-title" className="sr-only">
        {title ?? 'Chat'}
      </h2>
      <AnswerAnnouncer />
      <div className="toolbar">
        <button
          onClick={() => setShowSettings(!showSettings)}
          disabled={!currentId}
          aria-expanded={showSettings && !!currentId}
        >
          Settings
        </button>
        <button onClick={() => setShowTelemetry(!showTelemetry)} aria-pressed={showTelemetry}>
          Telemetry
        </button>
        {currentId && (
          <>
            <button onClick={() => void conversationsActions.exportTo(currentId, 'json')}>Export JSON</button>
            <button onClick={() => void conversationsActions.exportTo(currentId, 'md')}>Export Markdown</button>
          </>
        )}
        {last?.role === 'assistant' && !streaming && (
          <button onClick={() => void chatActions.regenerate()}>Regenerate</button>
        )}
      </div>
      {branchStatus && (
        <p className="muted" role="status" data-testid="branch-status">
          {branchStatus}
        </p>
      )}
      {/* At most half the window, scrolled on its own: the messages keep room to be read and scrolled. */}
      {showSettings && currentId && (
        <div className="settings-area">
          <SettingsPanel />
          <ToolsPanel conversationId={currentId} />
        </div>
      )}
      {showTelemetry && <TelemetryPanel />}
      {/* keyed by conversation: another conversation opens at its end, not where the last one was scrolled */}
      <VirtualList
        key={currentId ?? ''}
        items={messages}
        keyOf={(m) => m.id}
        render={(m) => <MessageView message={m} />}
        testId="messages"
        scrollToKey={focusMessageId}
        onScrolledTo={conversationsActions.focused}
      >
        {messages.length === 0 && <FirstRunCard />}
        {messages.length === 0 && (
          <p className="empty">Start a story, e.g. “Once upon a time”. Everything runs on this machine.</p>
        )}
      </VirtualList>
      <AttachBar />
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <textarea
          value={text}
          placeholder="Message (Enter to send, Shift+Enter for a new line)"
          aria-label="Message"
          data-view-focus
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              submit();
            }
          }}
        />
        {streaming ? (
          <button type="button" className="stop" onClick={() => void chatActions.stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!text.trim()}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}
