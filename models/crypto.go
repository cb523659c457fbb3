package models

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
)

// Ciphertext layout (format version 1), for every encrypted subject, body, attachment
// name and attachment content:
//
//	[1 byte version][8 bytes data key ID = message ID][12 bytes nonce][AES-256-GCM ciphertext and tag]
//
// and for a wrapped data key:
//
//	[1 byte version][4 bytes master key ID][12 bytes nonce][AES-256-GCM of the 32-byte data key and tag]
//
// The header and the message ID are associated data, so a ciphertext moved to another
// message, another field or another key ID fails to open.
const cipherVersion = 1

// ErrDecrypt means a ciphertext did not open: the wrong key, or data that was altered.
var ErrDecrypt = errors.New("message ciphertext does not open with its key")

const (
	fieldHeaderLen = 1 + 8
	wrapHeaderLen  = 1 + 4
	nonceLen       = 12
)

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// newDataKey returns a fresh random 256-bit data key.
func newDataKey() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return k
}

// sealer encrypts the fields of one message under its data key.
type sealer struct {
	aead  cipher.AEAD
	msgID int64
}

func newSealer(dataKey []byte, msgID int64) (*sealer, error) {
	a, err := newGCM(dataKey)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: a, msgID: msgID}, nil
}

func (s *sealer) aad(header []byte, field string) []byte {
	ad := make([]byte, 0, len(header)+len(field)+1)
	ad = append(ad, header...)
	ad = append(ad, '|')
	return append(ad, field...)
}

// seal encrypts plaintext for field ("subject", "body", "att:3:name" ...).
func (s *sealer) seal(field string, plaintext []byte) []byte {
	out := make([]byte, fieldHeaderLen+nonceLen, fieldHeaderLen+nonceLen+len(plaintext)+s.aead.Overhead())
	out[0] = cipherVersion
	binary.BigEndian.PutUint64(out[1:9], uint64(s.msgID))
	if _, err := rand.Read(out[fieldHeaderLen:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return s.aead.Seal(out, out[fieldHeaderLen:], plaintext, s.aad(out[:fieldHeaderLen], field))
}

// open decrypts a field sealed by seal for the same message and field.
func (s *sealer) open(field string, ct []byte) ([]byte, error) {
	if len(ct) < fieldHeaderLen+nonceLen+s.aead.Overhead() || ct[0] != cipherVersion {
		return nil, fmt.Errorf("%w: unknown format", ErrDecrypt)
	}
	if int64(binary.BigEndian.Uint64(ct[1:9])) != s.msgID {
		return nil, fmt.Errorf("%w: key ID does not match the message", ErrDecrypt)
	}
	pt, err := s.aead.Open(nil, ct[fieldHeaderLen:fieldHeaderLen+nonceLen], ct[fieldHeaderLen+nonceLen:], s.aad(ct[:fieldHeaderLen], field))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

func wrapAAD(header []byte, msgID int64) []byte {
	ad := make([]byte, len(header)+8)
	copy(ad, header)
	binary.BigEndian.PutUint64(ad[len(header):], uint64(msgID))
	return ad
}

// wrapKey wraps a data key with master key (id, key), bound to msgID.
func wrapKey(masterID uint32, master, dataKey []byte, msgID int64) ([]byte, error) {
	a, err := newGCM(master)
	if err != nil {
		return nil, err
	}
	out := make([]byte, wrapHeaderLen+nonceLen, wrapHeaderLen+nonceLen+len(dataKey)+a.Overhead())
	out[0] = cipherVersion
	binary.BigEndian.PutUint32(out[1:5], masterID)
	if _, err := rand.Read(out[wrapHeaderLen:]); err != nil {
		return nil, err
	}
	return a.Seal(out, out[wrapHeaderLen:], dataKey, wrapAAD(out[:wrapHeaderLen], msgID)), nil
}

// wrappedKeyID reads the master key ID from a wrapped data key.
func wrappedKeyID(w []byte) (uint32, error) {
	if len(w) < wrapHeaderLen+nonceLen || w[0] != cipherVersion {
		return 0, fmt.Errorf("%w: unknown wrapped-key format", ErrDecrypt)
	}
	return binary.BigEndian.Uint32(w[1:5]), nil
}

// unwrapKey opens a wrapped data key with the matching master key.
func unwrapKey(master, w []byte, msgID int64) ([]byte, error) {
	a, err := newGCM(master)
	if err != nil {
		return nil, err
	}
	if len(w) < wrapHeaderLen+nonceLen+a.Overhead() {
		return nil, ErrDecrypt
	}
	dk, err := a.Open(nil, w[wrapHeaderLen:wrapHeaderLen+nonceLen], w[wrapHeaderLen+nonceLen:], wrapAAD(w[:wrapHeaderLen], msgID))
	if err != nil {
		return nil, ErrDecrypt
	}
	return dk, nil
}
