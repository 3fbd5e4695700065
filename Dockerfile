# hookd in a container. Not built on the development machine (no container
# engine there); see docs/operations.md, "Container".
#   docker build -t hookd .
#   docker run -d --name hookd -p 50051:50051 --stop-timeout 30 \
#     -v hookd-data:/var/lib/hookd -v $PWD/hookd.yaml:/etc/hookd/hookd.yaml:ro -v $PWD/tokens.json:/etc/hookd/tokens.json:ro \
#     hookd
FROM node:20-bookworm-slim

WORKDIR /opt/hookd
# tsx runs the TypeScript sources (no build step) and is a runtime dependency,
# so --omit=dev keeps it; the dev dependencies (vitest, typescript, the
# protobuf generator, the bench's Extism) stay out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY proto ./proto
COPY src ./src
COPY deploy/healthcheck.mjs deploy/hookd.example.yaml ./deploy/

# A user of its own, owning only the store and the worker bundle cache.
RUN useradd --system --uid 10001 --home-dir /var/lib/hookd --shell /usr/sbin/nologin hookd \
 && install -d -o hookd -g hookd -m 0700 /var/lib/hookd \
 && install -d -o hookd -g hookd /opt/hookd/node_modules/.cache/hookd-workers \
 && install -d /etc/hookd
USER hookd

# The config file is mounted at /etc/hookd/hookd.yaml; these two suit the
# container whatever it says (HOOKD_* override the file).
ENV NODE_ENV=production \
    HOOKD_CONFIG=/etc/hookd/hookd.yaml \
    HOOKD_LISTEN=0.0.0.0:50051 \
    HOOKD_DATA_DIR=/var/lib/hookd
VOLUME ["/var/lib/hookd"]
# gRPC; Prometheus metrics when metrics.listen is 0.0.0.0:9464.
EXPOSE 50051 9464

# SIGTERM drains (shutdown.drainTimeoutMs, 20 s by default): give `docker stop`
# a longer grace than its 10 s default (--stop-timeout 30, compose stop_grace_period: 30s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/healthcheck.mjs", "127.0.0.1:50051"]

# node directly (not npm start): it is PID 1's only child-free process and gets the signals itself.
ENTRYPOINT ["node", "--import", "tsx", "src/cli/hookd.ts"]
