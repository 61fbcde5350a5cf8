package identities

import (
	"encoding/json"
	"errors"
)

type jsonRaw = json.RawMessage

// appendJSON decodes a JSON array into more items appended to *dst and
// returns how many it added.
func appendJSON[T any](raw []byte, dst *[]T) (int, error) {
	var items *[]T
	if err := json.Unmarshal(raw, &items); err != nil {
		return 0, err
	}
	if items == nil {
		return 0, errors.New("null list")
	}
	*dst = append(*dst, *items...)
	return len(*items), nil
}

// unmarshalField decodes m[key] into v; a missing key is an error.
func unmarshalField(m map[string]jsonRaw, key string, v any) error {
	raw, ok := m[key]
	if !ok {
		return errors.New("missing " + key)
	}
	return json.Unmarshal(raw, v)
}
