"""Django's own Redis cache backend, keeping one redis-py client per connection pool.

Django builds a new redis.Redis object for every cache operation (RedisCacheClient.get_client).
With redis-py 8 that costs about 0.13 ms, more than the round trip to a Redis on the same
network, and a cached page or API answer makes one to three operations. A client holds no
connection of its own (the pool does) and is safe to share between threads, so one per pool
is kept. Everything else is Django's backend, unchanged; settings.py selects this class
whenever CACHE_URL names Redis.

set_many() stores each entry with one command.

It adds what Django's backend lacks: count_in_window() for rate limits (WindowCounter), and announce() with
change_feed(), Redis publish/subscribe, so that each process learns of a content change without
asking (publishing.caching).
"""

import os
import threading

from django.core.cache.backends import redis
from redis.client import PubSub


class ChangeFeed(PubSub):
    """A subscription to one channel, asked between requests whether anything was announced."""

    def __init__(self, channel: str, **kwargs):
        super().__init__(**kwargs)
        # Until the first answer, and after any reconnection, something may have been missed.
        self._missed = True
        self.subscribe(channel)
        # Only once Redis confirms (its first reply) is every later announcement sure to arrive here.
        confirmation = self.get_message(timeout=5)
        if confirmation is None or confirmation["type"] != "subscribe":
            raise TimeoutError(f"Redis did not confirm the subscription to {channel}.")

    def on_connect(self, connection):
        self._missed = True  # redis-py reconnects and subscribes again by itself
        super().on_connect(connection)

    def changed(self) -> bool:
        """Whether anything was announced (or may have been) since the last call. Reads only
        what has already arrived: no round trip."""
        changed = False
        while (message := self.get_message(timeout=0)) is not None:
            changed |= message["type"] == "message"
        changed |= self._missed
        self._missed = False
        return changed


class WindowCounter:
    """Counters for rate limits (INCR), sent on a connection of their own.

    A count may be returned without waiting for Redis's reply (see RedisCache.count_in_window):
    the reply is read at the next count, by when it has nearly always arrived. On a server
    whose cores are busy, waiting for Redis's turn took a third of a cached API answer's time.
    """

    # Counts remembered per process: plenty for the clients of one window; past it, all are
    # forgotten at once and the next count of each client waits for Redis again.
    REMEMBERED = 10_000

    def __init__(self, connection_pool):
        self._connection_pool = connection_pool
        self._lock = threading.Lock()  # Django's caches are per thread; this is in case of sharing
        self._connection = None
        self._pid = None
        self._unread = []  # (key, ttl) of each INCR whose reply waits on the connection, in order
        self._counts = {}  # key: its value in the last reply read

    def count(self, key, ttl, wait_from):
        with self._lock:
            try:
                return self._count(key, ttl, wait_from)
            except BaseException:
                # The connection may hold a late reply, which would be read as the next count's:
                # it is closed, and what this process knew of the counts forgotten with it.
                self._forget()
                raise

    def _count(self, key, ttl, wait_from):
        connection = self._connect()
        if self._unread:
            self._read_replies(connection)
        # No health-check PING: its reply would be read among the counts'.
        connection.send_command("INCR", key, check_health=False)
        known = self._counts.get(key)
        if wait_from is not None and known is not None and known < wait_from:
            self._unread.append((key, ttl))
            return known + 1
        count = connection.read_response()
        self._remember(key, count)
        if count == 1:
            self._expire(connection, key, ttl)
        return count

    def _read_replies(self, connection):
        new = []
        for key, ttl in self._unread:
            self._remember(key, count := connection.read_response())
            if count == 1:  # expired or evicted since this process counted it: a new counter
                new.append((key, ttl))
        self._unread.clear()
        for key, ttl in new:
            self._expire(connection, key, ttl)

    def _remember(self, key, count):
        if len(self._counts) >= self.REMEMBERED and key not in self._counts:
            self._counts.clear()
        self._counts[key] = count

    @staticmethod
    def _expire(connection, key, ttl):
        # The window's first count: the counter goes when its window does.
        connection.send_command("EXPIRE", key, ttl, check_health=False)
        connection.read_response()

    def _connect(self):
        if self._connection is None or self._pid != os.getpid():  # a forked process starts afresh
            self._unread.clear()
            self._counts.clear()
            self._connection = self._connection_pool().get_connection()
            self._pid = os.getpid()
        return self._connection

    def forget(self):
        with self._lock:
            self._forget()

    def _forget(self):
        self._unread.clear()
        self._counts.clear()
        if self._connection is not None and self._pid == os.getpid():
            self._connection.disconnect()
            self._connection_pool().release(self._connection)
        self._connection = None


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._window_counter = WindowCounter(lambda: self._get_connection_pool(write=True))

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]

    def set_many(self, data, timeout):
        # One SET … EX per key, pipelined without a transaction: each is atomic on its own, and
        # Redis runs N commands where Django's MULTI, MSET, N × EXPIRE, EXEC runs N + 3.
        if len(data) == 1:  # a page after a miss: a pipeline would cost more than it saves
            [(key, value)] = data.items()
            return self.set(key, value, timeout)
        if timeout == 0:  # already expired, as Django's set() treats it
            return self.delete_many(data)
        pipeline = self.get_client(None, write=True).pipeline(transaction=False)
        for key, value in data.items():
            pipeline.set(key, self._serializer.dumps(value), ex=timeout)
        pipeline.execute()

    def count_in_window(self, key, ttl, wait_from=None):
        return self._window_counter.count(key, ttl, wait_from)

    def clear(self):
        self._window_counter.forget()  # the counts it remembers go with the counters
        return super().clear()

    def announce(self, channel):
        client = self.get_client(write=True)
        client.publish(channel, b"")
        # Redis answers PUBLISH first and writes to the subscribers after: the answer to a second
        # command comes once those writes are made, so no request that starts after announce()
        # returns can be ahead of the news.
        client.ping()

    def change_feed(self, channel):
        return ChangeFeed(channel, connection_pool=self._get_connection_pool(write=True))


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_in_window(self, key: str, ttl: int, wait_from: int | None = None) -> int:
        """Add one to the counter `key`, given an expiry of `ttl` seconds when it is new, and
        return its value: one command (INCR) but once per window, where Django's add() and incr()
        take three round trips (SET NX; EXISTS, INCR). Each window has its own key, so a counter
        left without its expiry (a process gone between INCR and EXPIRE) only waits for Redis's
        eviction; it is never counted again. The counter is stored as Django stores integers,
        so get() and incr() read it too.

        With `wait_from` (a rate limit's allowance), a count this process has seen below
        `wait_from` is returned without waiting for Redis: as that count plus one, the reply
        being read at the next count. The value is exact while one process counts `key`. With
        several, it misses the counts others made since this process's last reply, so each
        process may let one request past the allowance (the one after which it reads the true
        count); from `wait_from` on, every count waits for Redis's answer."""
        return self._cache.count_in_window(self.make_and_validate_key(key), ttl, wait_from)

    # Channels are named like keys, with KEY_PREFIX: sites sharing one Redis hear only their own.

    def announce(self, channel: str) -> None:
        """Tell every change_feed() of `channel`, in every process, that something changed."""
        self._cache.announce(self.make_and_validate_key(channel))

    def change_feed(self, channel: str) -> ChangeFeed:
        """A new subscription to `channel`, already confirmed by Redis. It holds one connection of
        its own for as long as it lives."""
        return self._cache.change_feed(self.make_and_validate_key(channel))
