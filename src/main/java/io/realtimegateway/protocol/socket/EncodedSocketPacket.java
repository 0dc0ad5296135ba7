package io.realtimegateway.protocol.socket;

import java.util.List;

/**
 * A packet as it goes on the wire: one text message, then one binary message per attachment.
 * Encoded once and shared by every recipient of a broadcast.
 */
public record EncodedSocketPacket(String text, List<byte[]> attachments) {

  public EncodedSocketPacket {
    attachments = List.copyOf(attachments);
  }
}
