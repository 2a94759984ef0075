using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OtpTools.Sandbox;

namespace OtpTools.TestProvider.Sandbox
{
    /// <summary>
    /// Acme's API under /acme, exactly as AcmeClient's document says and never easier: Bearer key, JSON body with
    /// +E.164 "to", a code of at most 10 characters, a priority from the list. Plugged into the tests' sandbox beside
    /// the four real providers, so the conformance suite runs over it through real HTTP.
    /// </summary>
    public sealed class AcmeSandbox : ISandboxProvider
    {
        public const string ApiKey = "sbx-acme-51c7e0a9d2";
        /// <summary>Sending to this (valid US) number answers BLOCKED: nothing was sent.</summary>
        public const string Blocked = "+13232000999";
        private static readonly string[] Priorities = { "low", "normal", "high" };

        public sealed class Delivery
        {
            public string Id = "";
            public string To = "";
            public string Code = "";
            public string? Priority;
            public string? Token;
        }

        private readonly ConcurrentQueue<Delivery> _deliveries = new ConcurrentQueue<Delivery>();
        public IReadOnlyList<Delivery> Deliveries => _deliveries.ToList();

        public string Prefix => "acme";
        public string TypeName => "Acme";
        public IReadOnlyList<(string Name, string Value)> Variables => new[] { ("APIKEY", ApiKey) };
        public string? SampleSend => "-To +61412345678 -Code 4821 -Priority high";
        public IReadOnlyList<(string Arguments, string Code)> ErrorScenarios => new[] { ($"-To {Blocked} -Code 4821", "BLOCKED") };

        public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/v1/codes", (Func<HttpContext, Task<IResult>>)SendAsync);

        private async Task<IResult> SendAsync(HttpContext context)
        {
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey) return Error(401, "AUTH", "missing or wrong key");
            if (!context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? true)
                return Error(400, "INVALID", "the body must be JSON");
            JsonElement body;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body).ConfigureAwait(false);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Error(400, "INVALID", "the body must be JSON");
            }
            string? Text(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var to = Text("to");
            var code = Text("code");
            var priority = Text("priority");
            if (to == null || !to.StartsWith("+", StringComparison.Ordinal) || to.Length < 9 || !to.Skip(1).All(char.IsDigit))
                return Error(400, "INVALID", "to must be +E.164");
            if (string.IsNullOrEmpty(code) || code.Length > 10) return Error(400, "INVALID", "code must be 1 to 10 characters");
            if (priority != null && !Priorities.Contains(priority, StringComparer.Ordinal)) return Error(400, "INVALID", "unknown priority");
            if (to == Blocked) return Error(400, "BLOCKED", "this recipient cannot be reached");
            var delivery = new Delivery { Id = "acme-" + Guid.NewGuid().ToString("N"), To = to, Code = code, Priority = priority, Token = Text("token") };
            _deliveries.Enqueue(delivery);
            return Results.Json(new Dictionary<string, object> { ["id"] = delivery.Id });
        }

        private static IResult Error(int status, string code, string message) =>
            Results.Json(new Dictionary<string, object> { ["error"] = new Dictionary<string, string> { ["code"] = code, ["message"] = message } }, statusCode: status);
    }
}
