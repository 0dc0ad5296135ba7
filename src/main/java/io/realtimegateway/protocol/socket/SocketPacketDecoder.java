package io.realtimegateway.protocol.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * Reassembles Socket.IO packets from one connection's messages: a binary packet's text header is
 * held until all of its attachments have arrived. One decoder per connection; not thread-safe.
 */
public final class SocketPacketDecoder {

  private final int maxAttachments;
  private SocketPacket pending;
  private int expectedAttachments;
  private final List<byte[]> received = new ArrayList<>();

  /**
   * @param maxAttachments the most binary attachments one packet may announce
   */
  public SocketPacketDecoder(int maxAttachments) {
    this.maxAttachments = maxAttachments;
  }

  /** Decodes a text message; returns {@code null} while the packet awaits its attachments. */
  public SocketPacket decodeText(String message) throws SocketProtocolException {
    if (pending != null) {
      throw new SocketProtocolException("text message while awaiting binary attachments");
    }
    SocketPacketCodec.Header header = SocketPacketCodec.decodeHeader(message);
    if (header.attachments() == 0) {
      if (header.packet().data() != null) {
        // A placeholder without an attachment to fill it is invalid.
        SocketPacketCodec.insertBinary(header.packet().data(), List.of());
      }
      return header.packet();
    }
    if (header.attachments() > maxAttachments) {
      throw new SocketProtocolException("too many attachments: " + header.attachments());
    }
    pending = header.packet();
    expectedAttachments = header.attachments();
    return null;
  }

  /** Decodes a binary message; returns the packet once its last attachment has arrived. */
  public SocketPacket decodeBinary(byte[] attachment) throws SocketProtocolException {
    if (pending == null) {
      throw new SocketProtocolException("unexpected binary message");
    }
    received.add(attachment);
    if (received.size() < expectedAttachments) {
      return null;
    }
    SocketPacket header = pending;
    List<byte[]> attachments = List.copyOf(received);
    reset();
    return new SocketPacket(
        header.type(),
        header.namespace(),
        SocketPacketCodec.insertBinary(header.data(), attachments),
        header.ackId());
  }

  /** Whether a binary packet is waiting for attachments. */
  public boolean isAwaitingAttachments() {
    return pending != null;
  }

  private void reset() {
    pending = null;
    expectedAttachments = 0;
    received.clear();
  }
}
