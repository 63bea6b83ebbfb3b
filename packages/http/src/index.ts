// server
// client
