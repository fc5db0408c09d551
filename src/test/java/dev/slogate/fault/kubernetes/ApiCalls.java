package dev.slogate.fault.kubernetes;

import dev.slogate.cluster.KubernetesApi;

/** (Public for the fleet's Job tests in load.fleet.) Maps a recorded HTTP request to the RBAC call it needs (group, resource, verb), the way the API server does. */
public final class ApiCalls {
    private ApiCalls() {
    }

    public static KubernetesApi.Call of(String method, String pathAndQuery) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        String query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
        String[] p = path.substring(1).split("/");
        // /api/v1/... or /apis/<group>/<version>/...
        int i = p[0].equals("api") ? 2 : 3;
        String group = p[0].equals("api") ? "" : p[1];
        if (i < p.length && p[i].equals("namespaces") && p.length > i + 2) {
            i += 2;
        }
        String resource = p[i];
        boolean named = p.length > i + 1;
        if (p.length > i + 2) {
            resource += "/" + p[i + 2];
        }
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method;
        };
        return new KubernetesApi.Call(group, resource, verb);
    }
}
