using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OtpTools.Sandbox.Providers.GetOtp
{
    /// <summary>
    /// GetOTP under /getotp, X-OTP-Key auth: the Senders API (filter[status], page_size and page_token paging) here, and
    /// verifications (send and check) in GetOtpVerificationsSandbox.cs.
    /// </summary>
    public sealed partial class GetOtpSandbox : ISandboxProvider
    {
        public const string DocumentedPath = "/v1/senders";
        public const string AccountId = "6b1e3f0a-2c4d-4e5f-8a9b-0c1d2e3f4a5b";

        public sealed class SenderRow
        {
            public string Id = "";
            public string Name = "";
            public string Code = "";
            public string Channel = "";
            public string Type = "";
            public string Status = "";
            public string Country = "";
            public string[] Countries = Array.Empty<string>();
            public string MonthlyCost = "";
            public string SetupCost = "";
            public DateTime CreateDate;
            public DateTime UpdateDate;
        }

        /// <summary>The documented statuses, matched as written (the sandbox is never more lenient than the docs).</summary>
        public static readonly string[] Statuses = { "Pending", "Available", "Rejected", "Canceled" };

        // Seeded senders cycle through this pattern, so the k-th row of any status is found by arithmetic.
        private static readonly string[] StatusCycle = { "Available", "Pending", "Available", "Rejected", "Available", "Canceled" };
        private static readonly string[][] CountrySets = { new[] { "de" }, new[] { "de", "at" }, new[] { "us", "ca" }, new[] { "fr", "be", "ch" } };
        private static readonly DateTime SeedEpoch = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        // Tokens carry a MAC, so a made-up or edited token is rejected as a real opaque token would be.
        private static readonly byte[] TokenKey = Encoding.UTF8.GetBytes("otptools-sandbox-getotp-page-token");

        private long _seeded;

        public string Prefix => "getotp";
        public string TypeName => "GetOtp";
        public IReadOnlyList<(string Name, string Value)> Variables => new[] { ("APIKEY", ApiKey) };

        public void Seed(int rows) => SeedSenders(rows);
        public string? SampleSend => $"-To +61412345678 -Code 4821 -Channel sms -Sender GetOTP -TemplateId {GetOtpScenarios.Template}";
        public string? SampleListing => "Get-OtpSender -PageSize 100";
        public IReadOnlyList<PagingFault> PagingFaults => new[] { PagingFault.RepeatPage, PagingFault.SameRows };
        public void PlayPagingFault(PagingFault fault) => PagingFault = fault;
        public IReadOnlyList<(string Arguments, string Code)> ErrorScenarios => new[]
        {
            ($"-To +61412345678 -Code 4821 -Channel sms -Sender GetOTP -TemplateId {GetOtpScenarios.MissingTemplate}", "1251"),
            ($"-To +61412345678 -Code 4821 -Channel sms -Sender GetOTP -TemplateId {GetOtpScenarios.TemplateWithoutCode}", "1624"),
        };
        public IEnumerable<string> Notes => new[]
        {
            $"GetOTP: the code a send carried is at $env:OTPTOOLS_GETOTP_BASEURI{GeneratedCodePath}<MessageId>; template {GetOtpScenarios.Template} holds {{code}}",
        };
        public IReadOnlyList<(string Option, string Argument)> Options => new[] { ("--getotp-wrap-send", "<true|false>") };

        /// <summary>Whether a send's answer is wrapped in "data" (the document shows it flat).</summary>
        public bool TrySetOption(string option, string value)
        {
            if (option != "--getotp-wrap-send" || !bool.TryParse(value, out var wrap)) return false;
            WrapSendAnswer = wrap;
            return true;
        }
        public string ApiKey { get; set; } = SandboxKeys.GetOtp;

        /// <summary>Number of senders the account has. Rows are computed on demand, so millions cost no memory.</summary>
        public void SeedSenders(long count) => _seeded = count;

        /// <summary>Hostile paging, for tests: a next link back to the same page, or fresh tokens that keep returning the first rows.</summary>
        public PagingFault PagingFault { get; set; }

        public void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet(DocumentedPath, Senders);
            MapVerifications(routes);
        }

        /// <summary>The key check every call makes: a 401 in the documented error shape when it is missing or wrong.</summary>
        private IResult? Authenticate(HttpContext context, string method, string path)
        {
            var key = context.Request.Headers["X-OTP-Key"].ToString();
            if (string.IsNullOrEmpty(key)) return Error(401, "Unauthorized", "User Not Authorized: send the key in the X-OTP-Key header", method, path);
            return key == ApiKey ? null : Error(401, "Unauthorized", "User Not Authorized", method, path);
        }

        /// <summary>Seeded sender <paramref name="index"/>: the same every time, with a recognisable id.</summary>
        public static SenderRow SeededSender(long index)
        {
            var countries = CountrySets[index % CountrySets.Length];
            var created = SeedEpoch.AddMinutes(index * 7);
            return new SenderRow
            {
                Id = $"00000000-0000-4000-9000-{index:D12}",
                Name = $"Seed Sender {index}",
                Code = "Seed" + index.ToString(CultureInfo.InvariantCulture),
                Channel = index % 5 == 4 ? "WhatsApp" : "SMS",
                Type = index % 3 == 2 ? "Numeric" : "Alphanumeric",
                Status = StatusCycle[index % StatusCycle.Length],
                Country = countries[0],
                Countries = countries,
                MonthlyCost = (index % 4 == 1 ? 2.5m + index % 3 : 2 + index % 3).ToString(CultureInfo.InvariantCulture),
                SetupCost = (index % 10).ToString(CultureInfo.InvariantCulture),
                CreateDate = created,
                UpdateDate = created.AddHours(index % 48),
            };
        }

        /// <summary>How many seeded senders have <paramref name="status"/> (null: all).</summary>
        public long CountWith(string? status)
        {
            if (status == null) return _seeded;
            var slots = Slots(status);
            long full = _seeded / StatusCycle.Length, rest = _seeded % StatusCycle.Length;
            return full * slots.Length + slots.Count(s => s < rest);
        }

        /// <summary>The index of the <paramref name="k"/>-th seeded sender with <paramref name="status"/> (null: any).</summary>
        public static long IndexOf(string? status, long k)
        {
            if (status == null) return k;
            var slots = Slots(status);
            return k / slots.Length * StatusCycle.Length + slots[k % slots.Length];
        }

        private static int[] Slots(string status) =>
            Enumerable.Range(0, StatusCycle.Length).Where(i => StatusCycle[i] == status).ToArray();

        private IResult Senders(HttpContext context)
        {
            var denied = Authenticate(context, "GET", DocumentedPath);
            if (denied != null) return denied;

            var q = context.Request.Query;
            string? status = null;
            if (q.ContainsKey("filter[status]"))
            {
                status = q["filter[status]"].ToString();
                if (!Statuses.Contains(status, StringComparer.Ordinal)) return Error(400, "1439", "Invalid status");
            }

            var size = 10;
            if (q.ContainsKey("page_size") &&
                (!int.TryParse(q["page_size"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > 1000))
                return Error(400, "InvalidPageSize", "page_size must be a number from 1 to 1000");

            long offset = 0;
            if (q.ContainsKey("page_token"))
            {
                var token = ReadToken(q["page_token"].ToString());
                if (token == null || token.Value.Status != (status ?? ""))
                    return Error(400, "InvalidPageToken", "Invalid page_token (it must come from pagination links of the same filter)");
                offset = token.Value.Offset;
            }

            var total = CountWith(status);
            var data = new List<Dictionary<string, object?>>();
            var rowsFrom = PagingFault == PagingFault.SameRows ? 0 : offset;
            for (var k = rowsFrom; k < Math.Min(total, rowsFrom + size); k++)
                data.Add(ToJson(SeededSender(IndexOf(status, k))));

            string Link(long at) => PageLink(context, status, size, at);
            return Results.Json(new Dictionary<string, object>
            {
                ["data"] = data,
                ["pagination"] = new Dictionary<string, object?>
                {
                    ["number"] = offset / size + 1,
                    ["size"] = size,
                    ["total"] = total,
                    ["links"] = new Dictionary<string, object?>
                    {
                        ["first"] = Link(0),
                        ["current"] = Link(offset),
                        ["previous"] = offset > 0 ? Link(Math.Max(0, offset - size)) : null,
                        ["next"] = PagingFault == PagingFault.RepeatPage ? Link(offset == 0 ? size : offset)
                            : PagingFault == PagingFault.SameRows || offset + size < total ? Link(offset + size) : null,
                    },
                },
            });
        }

        private static string PageLink(HttpContext context, string? status, int size, long offset)
        {
            var r = context.Request;
            var link = $"{r.Scheme}://{r.Host}{r.PathBase}{r.Path}?page_size={size}";
            if (status != null) link += "&filter[status]=" + status;
            if (offset > 0) link += "&page_token=" + Token(offset, status ?? "");
            return link;
        }

        private static string Token(long offset, string status)
        {
            var payload = Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture) + "|" + status);
            using var mac = new HMACSHA256(TokenKey);
            var all = payload.Concat(mac.ComputeHash(payload).Take(8)).ToArray();
            return Convert.ToBase64String(all).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        private static (long Offset, string Status)? ReadToken(string token)
        {
            try
            {
                var text = token.Replace('-', '+').Replace('_', '/');
                var bytes = Convert.FromBase64String(text + new string('=', (4 - text.Length % 4) % 4));
                if (bytes.Length <= 8) return null;
                var payload = bytes.Take(bytes.Length - 8).ToArray();
                using var mac = new HMACSHA256(TokenKey);
                if (!mac.ComputeHash(payload).Take(8).SequenceEqual(bytes.Skip(payload.Length))) return null;
                var parts = Encoding.UTF8.GetString(payload).Split('|');
                return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static Dictionary<string, object?> ToJson(SenderRow s) => new Dictionary<string, object?>
        {
            ["id"] = s.Id,
            ["account_id"] = AccountId,
            ["name"] = s.Name,
            ["code"] = s.Code,
            ["channel"] = s.Channel,
            ["type"] = s.Type,
            ["status"] = s.Status,
            ["country"] = s.Country,
            ["countries"] = s.Countries,
            ["monthly_cost"] = s.MonthlyCost,
            ["setup_cost"] = s.SetupCost,
            ["create_date"] = s.CreateDate.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["update_date"] = s.UpdateDate.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        };

        /// <summary>The documented error shape: {"errors":[{timestamp, path, method, status, message, code}]}.</summary>
        private static IResult Error(int status, string code, string message, string method = "GET", string path = DocumentedPath) =>
            Results.Json(new Dictionary<string, object>
            {
                ["errors"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                        ["path"] = path,
                        ["method"] = method,
                        ["status"] = status,
                        ["message"] = message,
                        ["code"] = code,
                    },
                },
            }, statusCode: status);
    }
}
