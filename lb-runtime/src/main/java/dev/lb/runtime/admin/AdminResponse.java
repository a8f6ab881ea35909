package dev.lb.runtime.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One admin answer: status, content type, body and extra headers.
 *
 * @param status the HTTP status code
 * @param contentType the body's media type
 * @param body the bytes sent
 * @param headers extra headers (e.g. {@code Allow}, {@code WWW-Authenticate})
 */
record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static AdminResponse json(int status, Object value) {
        try {
            return new AdminResponse(status, JSON, MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the admin answer as JSON", e);
        }
    }

    /** A JSON error: {@code {"status": 404, "error": "..."}}. */
    static AdminResponse error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return json(status, body);
    }

    static AdminResponse text(int status, String contentType, byte[] body) {
        return new AdminResponse(status, contentType, body, Map.of());
    }

    static AdminResponse text(int status, String contentType, String body) {
        return text(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    AdminResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new AdminResponse(status, contentType, body, all);
    }
}
