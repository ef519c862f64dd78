// Baseline: a plain Socket.IO server: `join` puts the socket in a room, `msg` is io.to(room).emit.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'] });
io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    void socket.join(room);
    if (typeof ack === 'function') ack(true);
  });
  socket.on('msg', (room, text) => io.to(room).emit('msg', text));
});
http.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${http.address().port}\n`));
