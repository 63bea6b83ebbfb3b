import type { InboundRequestContext } from '../engine/inboundRequest.js';
import { ProtocolError } from '../errors.js';
import type { JSONRPCRequest } from '../schemas/jsonrpc.js';
import type { Root } from '../schemas/primitives.js';
import { CreateMessageRequestParamsSchema, ElicitRequestParamsSchema } from '../schemas/requests.js';
import { parseParams } from '../validate.js';
import type { ElicitationHandler, SamplingHandler } from './types.js';

/** What a client answers its server with, read at the time of each request (they can change). */
export interface ClientAnswers {
  roots(): readonly Root[];
  sampling(): SamplingHandler | undefined;
  elicitation(): ElicitationHandler | undefined;
}

/** Answers a server→client request: `ping`, `roots/list`, sampling and elicitation (MethodNotFound without a handler). */
export async function answerServerRequest(message: JSONRPCRequest, ctx: InboundRequestContext, answers: ClientAnswers): Promise<unknown> {
  switch (message.method) {
    case 'ping':
      return {};
    case 'roots/list':
      return { roots: [...answers.roots()] };
    case 'sampling/createMessage': {
      const sampling = answers.sampling();
      if (!sampling) throw new ProtocolError('MethodNotFound', 'This client does not handle sampling');
      return sampling(parseParams(CreateMessageRequestParamsSchema, message.params), ctx);
    }
    case 'elicitation/create': {
      const elicitation = answers.elicitation();
      if (!elicitation) throw new ProtocolError('MethodNotFound', 'This client does not handle elicitation');
      return elicitation(parseParams(ElicitRequestParamsSchema, message.params), ctx);
    }
    default:
      throw new ProtocolError('MethodNotFound', `Method not found: ${message.method}`);
  }
}
