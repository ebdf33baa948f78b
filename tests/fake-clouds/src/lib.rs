//! fake-clouds: strict loopback emulations of the five provider APIs, used by the tests.
//! The emulation itself arrives with the connectivity checks.
