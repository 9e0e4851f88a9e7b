/* stream: server.c's side of long-lived responses (http.h has the public part). */
#ifndef LOULAN_HTTP_STREAM_H
#define LOULAN_HTTP_STREAM_H
struct http_stream;
void *stream_response(struct http_stream *s);   /* the MHD response that sends s */
void stream_drop(struct http_stream *s);        /* s was never queued */
void stream_start_heartbeat(int (*interval)(void));
void stream_stop(void);                         /* ends every stream; stops the heartbeat */
#endif
