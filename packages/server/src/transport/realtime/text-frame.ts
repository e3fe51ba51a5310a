/**
 * A server-to-client WebSocket text frame (unmasked, unfragmented), built
 * once: a broadcast is framed once and the same bytes go to every
 * recipient, as the fastest bare `ws` servers do.
 */
export function textFrame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const head = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81; // FIN + text
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  frame.write(json, head, 'utf8');
  return frame;
}
