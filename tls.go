package main

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"time"
)

// tlsConfig offers TLS 1.3 and, for older clients, TLS 1.2 with ECDHE key exchange and
// AEAD ciphers only (AES-GCM, ChaCha20-Poly1305): no CBC suite, no static RSA key
// exchange. TLS 1.3's own suites are all AEAD.
func tlsConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		},
		CurvePreferences: []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384},
	}
}

// tlsListener serves TLS. A failed handshake (a scanner, an old client, a plain-HTTP
// request on the HTTPS port) is logged at debug level as what it is, and the connection
// closes; it never reaches the HTTP layer as a failed request.
type tlsListener struct {
	net.Listener
	cfg *tls.Config
	log *slog.Logger
}

func newTLSListener(inner net.Listener, cfg *tls.Config, log *slog.Logger) net.Listener {
	return &tlsListener{Listener: inner, cfg: cfg, log: log}
}

// Accept wraps the next connection in a TLS server connection.
func (l *tlsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &handshakeConn{Conn: tls.Server(c, l.cfg), log: l.log}, nil
}

// handshakeConn logs a failed handshake once, at debug level. The HTTP server calls
// Handshake before it reads; a Read that starts the handshake itself is covered too.
type handshakeConn struct {
	*tls.Conn
	log  *slog.Logger
	done bool
}

// handshakeTimeout bounds a handshake that the server's read deadline does not cover.
const handshakeTimeout = 10 * time.Second

// Handshake runs the TLS handshake, logging a failure at debug level.
func (c *handshakeConn) Handshake() error {
	if c.done {
		return c.Conn.Handshake()
	}
	c.done = true
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	defer cancel()
	err := c.Conn.HandshakeContext(ctx)
	if err != nil {
		c.log.Debug("TLS handshake failed", "remote", c.RemoteAddr().String(), "err", err)
	}
	return err
}

// Read completes the handshake first; a failed one reads as the end of the connection.
func (c *handshakeConn) Read(b []byte) (int, error) {
	if !c.done {
		if err := c.Handshake(); err != nil {
			return 0, io.EOF
		}
	}
	return c.Conn.Read(b)
}
