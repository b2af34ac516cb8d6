package application

import (
	"errors"
	"fmt"

	"github.com/sppt/sppt/internal/civil"
)

// ErrForbidden is an actor whose roles (or kind) may not make the move.
var ErrForbidden = errors.New("application: not allowed to make this move")

// TransitionError is a move the machine does not have from the current
// stage, or a device's or the system's move without clean checks.
type TransitionError struct {
	From, To civil.Stage
	NotClean bool
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("application: no move from %s to %s", e.From, e.To)
}

// InputError is a move missing what its guards need: field → problem
// ("required", "too_long", "hold_kind").
type InputError struct{ Fields map[string]string }

func (e *InputError) Error() string {
	return fmt.Sprintf("application: invalid move input %v", e.Fields)
}

func (e *InputError) add(field, problem string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = problem
	}
}
