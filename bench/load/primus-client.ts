import type { Receiver } from './client.ts';
import { RawWebSocket } from './raw-websocket.ts';
import { JsonFrameClient } from './ws-client.ts';

const QUOTE = '"'.charCodeAt(0);
const PING = Buffer.from('"primus::ping::');

/**
 * Primus over the websockets transformer, spoken directly: JSON text frames
 * both ways, the token as `?access_token=`, and the server's heartbeat
 * `"primus::ping::<ts>"` answered with `"primus::pong::<ts>"`.
 */
export class PrimusClient extends JsonFrameClient {
  static async connectPrimus(url: string, token: string, index: number, receiver: Receiver) {
    const ws = await RawWebSocket.connect(`${url}/primus?access_token=${encodeURIComponent(token)}`);
    return new PrimusClient(ws, index, receiver);
  }

  protected override control(data: Buffer): boolean {
    if (data[0] !== QUOTE) return false;
    if (data.subarray(0, PING.length).equals(PING)) {
      const ts = data.toString('utf8', PING.length, data.length - 1);
      this.ws.send(`"primus::pong::${ts}"`);
    }
    return true;
  }
}
