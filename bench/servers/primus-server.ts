import { createServer } from 'node:http';
import Primus from 'primus';
import PrimusRooms from 'primus-rooms';

/**
 * A reference for idle memory only: bare Primus (websockets transformer,
 * primus-rooms, as pockychat configures them) with no authentication,
 * validation or storage. What pockychat's idle connection costs beyond it is
 * pockychat's own.
 */
const port = Number(process.env.PORT ?? 0);
const http = createServer((_req, res) => res.end('ok'));
const primus = new Primus(http, {
  transformer: 'websockets',
  pathname: '/primus',
  plugin: { rooms: PrimusRooms },
  rooms: { wildcard: false },
  compression: false,
});
primus.on('connection', (spark: Primus.Spark) => {
  spark.on('data', () => undefined);
});
http.listen(port, '127.0.0.1');
